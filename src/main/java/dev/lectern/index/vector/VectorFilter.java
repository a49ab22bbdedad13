package dev.lectern.index.vector;

import java.util.List;
import java.util.UUID;

/**
 * Payload filter for a vector search. Null or empty fields do not filter. Within a list, any value matches;
 * across fields, all must match.
 */
public record VectorFilter(
        UUID bookId,
        List<UUID> chapterIds,
        List<Integer> sectionNumbers,
        List<String> difficulties,
        List<String> languages,
        List<String> outcomeCodes) {

    public static final VectorFilter NONE = new VectorFilter(null, null, null, null, null, null);

    /** Whether nothing is filtered: no book, and every list absent or empty. */
    public boolean isEmpty() {
        return bookId == null
                && absent(chapterIds)
                && absent(sectionNumbers)
                && absent(difficulties)
                && absent(languages)
                && absent(outcomeCodes);
    }

    private static boolean absent(List<?> values) {
        return values == null || values.isEmpty();
    }
}
