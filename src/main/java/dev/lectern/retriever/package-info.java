/**
 * A LangChain4j {@code ContentRetriever} backed by Lectern's context packs ({@code POST /api/v1/search/context}), for
 * a RAG chat service written with LangChain4j: {@link dev.lectern.retriever.LecternContentRetriever}.
 *
 * <p>This is client code that happens to live in the service's source tree. It depends only on the JDK
 * ({@code java.net.http}), Jackson and {@code langchain4j-core}, never on Quarkus, CDI or another Lectern package
 * (ArchitectureTest checks it), so it can be lifted into a client jar as it is. It is a package rather than a Maven
 * module because Lectern is a single-module build whose packaging is the Quarkus application: a second module would
 * turn the build into a multi-module reactor (parent POM, per-module Quarkus plugin and test set-up) for three classes.
 * The price: the service's jar carries these classes, unused; the day a client jar is published, this package moves
 * into its own module unchanged, and its test (which runs it against the real service) stays here.
 */
package dev.lectern.retriever;
