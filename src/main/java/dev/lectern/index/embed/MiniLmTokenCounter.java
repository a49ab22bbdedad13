package dev.lectern.index.embed;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.lectern.index.chunk.TokenCounter;

/**
 * Counts all-MiniLM-L6-v2's own WordPiece tokens (special tokens {@code [CLS]}/{@code [SEP]} not included), so chunk
 * sizes are bounded in the unit the model reads. LangChain4j's estimator loads the BERT uncased {@code tokenizer.json}
 * it bundles, which is byte for byte the model's tokenizer (a test holds that), with truncation switched off so long
 * texts are counted in full.
 *
 * <p>The native tokenizer is loaded on the first count, not at construction: construction may happen on an event-loop
 * thread when the bean is first injected, counting happens inside chunking, which runs on a worker.
 */
public final class MiniLmTokenCounter implements TokenCounter {

    private final Lazy<HuggingFaceTokenCountEstimator> estimator = new Lazy<>(() -> {
        MiniLm.preferOfflineNativeLibraries();
        return new HuggingFaceTokenCountEstimator();
    });

    @Override
    public int count(String text) {
        return text.isEmpty() ? 0 : estimator.get().estimateTokenCountInText(text);
    }
}
