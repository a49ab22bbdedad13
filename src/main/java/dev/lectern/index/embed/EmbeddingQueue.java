package dev.lectern.index.embed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The work waiting for the in-process model's threads, in two lines: search queries and ingestion batches. A thread
 * always takes a waiting query first, so a search waits only for the passages the threads are embedding at that
 * moment, never for the rest of a book being indexed ({@link OnnxEmbedder} also lets queries in between the passages
 * of a running batch).
 *
 * <p>Only the query line is bounded: a full one means searches alone overload the model, and the query is refused.
 * Ingestion is never refused for being long, because its callers bound it: each {@code embed} call keeps at most one
 * batch per thread here and adds the next when one finishes, so a large chapter waits for the threads instead of
 * failing, and the line holds a few batches per chapter being indexed.
 */
final class EmbeddingQueue<T> {

    /** How an offer ended. */
    enum Offer {
        ACCEPTED,
        /** The query line is full. */
        FULL,
        /** {@link #close()} was called. */
        CLOSED
    }

    private final int queryCapacity;
    private final ArrayDeque<T> queries = new ArrayDeque<>();
    private final ArrayDeque<T> ingestion = new ArrayDeque<>();
    private boolean closed;

    EmbeddingQueue(int queryCapacity) {
        if (queryCapacity < 1) {
            throw new IllegalArgumentException("the query line must hold at least one query");
        }
        this.queryCapacity = queryCapacity;
    }

    synchronized Offer offerQuery(T query) {
        if (closed) {
            return Offer.CLOSED;
        }
        if (queries.size() >= queryCapacity) {
            return Offer.FULL;
        }
        queries.addLast(query);
        return Offer.ACCEPTED;
    }

    /** Refused only once closed. */
    synchronized Offer offerIngestion(T batch) {
        if (closed) {
            return Offer.CLOSED;
        }
        ingestion.addLast(batch);
        return Offer.ACCEPTED;
    }

    /** The oldest waiting query, else the oldest ingestion batch, else null. */
    synchronized T next() {
        T query = queries.pollFirst();
        return query != null ? query : ingestion.pollFirst();
    }

    /** The oldest waiting query, or null: what a thread serves between the passages of an ingestion batch. */
    synchronized T nextQuery() {
        return queries.pollFirst();
    }

    /** Refuses further work and hands back everything still waiting (queries first), for the caller to fail. */
    synchronized List<T> close() {
        closed = true;
        List<T> waiting = new ArrayList<>(queries.size() + ingestion.size());
        waiting.addAll(queries);
        waiting.addAll(ingestion);
        queries.clear();
        ingestion.clear();
        return waiting;
    }

    synchronized int waitingQueries() {
        return queries.size();
    }

    synchronized int waitingIngestion() {
        return ingestion.size();
    }
}
