package dev.lectern.index.embed;

import java.util.ArrayList;
import java.util.List;

/** Small vector and batching helpers shared by the embedders. */
final class Vectors {

    private Vectors() {}

    /** A unit-length copy of {@code vector} (cosine similarity then equals the dot product). */
    static float[] normalize(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        if (sum == 0 || !Double.isFinite(sum)) {
            throw new EmbeddingException("the model returned a zero or non-finite vector");
        }
        double norm = Math.sqrt(sum);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] / norm);
        }
        return unit;
    }

    /** Consecutive slices of at most {@code size} elements, in order. */
    static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> batches = new ArrayList<>((items.size() + size - 1) / size);
        for (int from = 0; from < items.size(); from += size) {
            batches.add(List.copyOf(items.subList(from, Math.min(items.size(), from + size))));
        }
        return batches;
    }

    /** Embedding blank text is meaningless (and makes some models fail): refuse it up front, naming the input. */
    static void requireText(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new IllegalArgumentException("text " + i + " to embed is blank");
            }
        }
    }
}
