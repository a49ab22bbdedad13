package dev.lectern.catalogue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code lectern.content.*}: who may read content without credentials, and how large authored content may be. */
@ConfigMapping(prefix = "lectern.content")
public interface ContentConfig {

    /** Published books and chapters are readable without credentials ({@code LECTERN_CONTENT_PUBLIC}). */
    @WithName("public")
    @WithDefault("true")
    boolean publicReads();

    /** Largest chapter document, in bytes ({@code LECTERN_CONTENT_MAX_MARKDOWN_BYTES}, 5 MiB). */
    @WithDefault("5242880")
    long maxMarkdownBytes();

    /** Most entries an imported archive may hold ({@code LECTERN_CONTENT_MAX_IMPORT_FILES}). */
    @WithDefault("2000")
    int maxImportFiles();

    /**
     * Largest uncompressed size of an imported archive, in bytes, every entry counted, skipped files too
     * ({@code LECTERN_CONTENT_MAX_IMPORT_BYTES}, 64 MiB). Reading stops as soon as it is passed.
     */
    @WithDefault("67108864")
    long maxImportBytes();

    /**
     * Serialised chapters kept for reads, in bytes ({@code LECTERN_CONTENT_READ_CACHE_BYTES}, 64 MiB; 0 turns the
     * cache off). Each read still asks the database for the chapter's current version, so a change made on any replica
     * is seen at once.
     */
    @WithDefault("67108864")
    long readCacheBytes();
}
