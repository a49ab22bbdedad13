package dev.lectern.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code lectern.http.*}: the request-line and header limits the service enforces itself, so that a request over them
 * gets a problem+json 414 or 431. The HTTP decoder's own limits ({@code quarkus.http.limits.max-initial-line-length},
 * {@code quarkus.http.limits.max-header-size}) are set well above these: only a request past those gets the decoder's
 * bare answer (see {@link HttpLayerProblems}).
 */
@ConfigMapping(prefix = "lectern.http")
public interface HttpLimitsConfig {

    /** Longest request target (path and query), in characters ({@code LECTERN_HTTP_MAX_URI_LENGTH}). */
    @WithDefault("4096")
    int maxUriLength();

    /**
     * Largest header block (names, values and separators), in bytes ({@code LECTERN_HTTP_MAX_HEADER_SIZE}). A JWT
     * with many claims fits easily.
     */
    @WithDefault("16384")
    int maxHeaderSize();
}
