package dev.lectern.platform;

import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a keyset-paginated list: {@code next} is the cursor for the following page, or null at the end. */
public record Page<T>(
        List<T> items,

        @Schema(description = "Opaque cursor for the next page; null when this is the last page", nullable = true)
        String next) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /**
     * Builds a page from up to {@code limit + 1} rows: the extra row, when present, only proves there is
     * a next page and is dropped; the cursor is taken from the last row kept.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> view, Function<R, String> cursorOf) {
        boolean more = rows.size() > limit;
        List<R> kept = more ? rows.subList(0, limit) : rows;
        String next = more ? cursorOf.apply(kept.get(kept.size() - 1)) : null;
        return new Page<>(kept.stream().map(view).toList(), next);
    }
}
