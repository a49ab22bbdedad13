package dev.lectern.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code lectern.variants.purge-*}: how {@link ExpiryPurge} runs. The settings kept the names they had when chapter
 * variants were the only expiring rows ({@code LECTERN_VARIANTS_PURGE_*}); the variants' own settings are in
 * {@code dev.lectern.catalogue.variants.VariantsConfig}, under the same prefix.
 */
@ConfigMapping(prefix = "lectern.variants")
public interface PurgeConfig {

    /** How often the purge runs ({@code LECTERN_VARIANTS_PURGE_EVERY}). */
    @WithDefault("5m")
    String purgeEvery();

    /** Wait after start before the first run ({@code LECTERN_VARIANTS_PURGE_DELAY}). */
    @WithDefault("30s")
    String purgeDelay();

    /** Rows deleted per statement ({@code LECTERN_VARIANTS_PURGE_BATCH}). */
    @WithDefault("500")
    int purgeBatch();

    /** Upper bound of batches per table and run ({@code LECTERN_VARIANTS_PURGE_MAX_BATCHES}). */
    @WithDefault("10000")
    int purgeMaxBatches();

    /** Longest a run keeps deleting ({@code LECTERN_VARIANTS_PURGE_MAX_RUN}). */
    @WithDefault("30s")
    Duration purgeMaxRun();
}
