package dev.lectern.index.embed;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code lectern.embedding.*} (environment: {@code LECTERN_EMBEDDING_*}): which model embeds, and how remote providers
 * are called. Providers: {@code onnx} (the default; {@code local} also works), all-MiniLM-L6-v2 in process, 384
 * dimensions, no network, no key; {@code openai}, any OpenAI-compatible {@code {base-url}/v1/embeddings} (OpenAI, vLLM,
 * LiteLLM, TEI, LocalAI…); {@code ollama}, an Ollama server's {@code {base-url}/api/embed}.
 */
@ConfigMapping(prefix = "lectern.embedding")
public interface EmbeddingConfig {

    /** Which model embeds passages and queries. */
    @WithDefault("onnx")
    Provider provider();

    /** Remote providers: the server; defaults to OpenAI's API or a local Ollama. */
    Optional<String> baseUrl();

    /** Remote providers: the model name; defaults to text-embedding-3-small (OpenAI) or nomic-embed-text (Ollama). */
    Optional<String> model();

    /** Remote providers: sent as a bearer token. */
    Optional<String> apiKey();

    /** Remote providers: the vector length if known; otherwise learnt from the first response. */
    OptionalInt dimension();

    /** In-process model: inference threads, the whole CPU budget of embedding; defaults to the available processors. */
    OptionalInt threads();

    /** Inputs per inference batch (in process) or per request (remote). */
    @WithDefault("32")
    int batchSize();

    /** Remote providers: connect and request timeout. */
    @WithDefault("30s")
    Duration timeout();

    /** Remote providers: further attempts after a 429, a 5xx or a network failure. */
    @WithDefault("3")
    int maxRetries();

    /** Remote providers: the first wait between attempts, doubled each time. */
    @WithDefault("500ms")
    Duration retryBackoff();

    /** Written in lower case in configuration: {@code onnx}, {@code local}, {@code openai}, {@code ollama}. */
    enum Provider {
        /** In-process all-MiniLM-L6-v2 (the default). */
        ONNX,
        /** The same as {@link #ONNX} (the name the design notes use). */
        LOCAL,
        /** Any OpenAI-compatible {@code /v1/embeddings} endpoint. */
        OPENAI,
        /** An Ollama server's {@code /api/embed}. */
        OLLAMA
    }
}
