package dev.lectern.identity;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * A feature's part of a user's GDPR export. Each feature that stores personal data implements this (an
 * {@code @ApplicationScoped} bean) and so joins {@code GET /api/v1/me/export} without identity knowing about it.
 * Called inside a Hibernate Reactive session.
 */
public interface ExportContributor {

    /** The key of this feature's section in the export document, e.g. {@code "progress"}. */
    String section();

    /**
     * Everything of this feature the user owns, as JSON-serialisable data. Content (books, chapters) is named only
     * where a caller who does (or does not) see drafts may read it, as in the feature's views: the rows are all there,
     * an unreadable book or chapter is left as its id.
     */
    Uni<Object> export(UUID userId, boolean drafts);
}
