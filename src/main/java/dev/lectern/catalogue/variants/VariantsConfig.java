package dev.lectern.catalogue.variants;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code lectern.variants.*}: how long stored chapter variants live unless the request says otherwise. (The purge of
 * expired ones is configured under the same prefix, in {@code dev.lectern.platform.PurgeConfig}.)
 */
@ConfigMapping(prefix = "lectern.variants")
public interface VariantsConfig {

    /** Default expiry of a personalised chapter ({@code LECTERN_VARIANTS_PERSONALIZED_TTL}). */
    @WithDefault("P7D")
    Duration personalizedTtl();

    /** Default expiry of a translated chapter ({@code LECTERN_VARIANTS_TRANSLATION_TTL}). */
    @WithDefault("P30D")
    Duration translationTtl();
}
