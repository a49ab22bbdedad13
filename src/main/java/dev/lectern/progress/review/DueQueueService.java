package dev.lectern.progress.review;

import dev.lectern.platform.Cursor;
import dev.lectern.platform.Page;
import dev.lectern.platform.Timestamps;
import dev.lectern.progress.review.ReviewViews.ReviewItemView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The due queue: a learner's items due by a time (default now), in due order, keyset-paginated. */
@ApplicationScoped
public class DueQueueService {

    private final DueQueueStore store;

    public DueQueueService(DueQueueStore store) {
        this.store = store;
    }

    public Uni<Page<ReviewItemView>> due(UUID userId, Instant before, int limit, String cursor) {
        Instant afterDue = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, "due", 2);
            afterDue = Cursor.timestampKey(key.get(0)).toInstant();
            afterId = Cursor.uuidKey(key.get(1));
        }
        Instant until = before == null ? Timestamps.now() : before;
        return store.page(userId, until, afterDue, afterId, limit + 1)
                .map(found -> Page.of(
                        found.items(),
                        limit,
                        i -> ReviewItemService.view(i, found.weights()),
                        i -> Cursor.encode("due", i.due, i.id)));
    }
}
