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

    /** Everything of this feature the user owns, as JSON-serialisable data. */
    Uni<Object> export(UUID userId);
}
