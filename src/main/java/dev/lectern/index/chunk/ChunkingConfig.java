package dev.lectern.index.chunk;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lectern.chunking.*} (environment: {@code LECTERN_CHUNKING_*}): chunk sizes in the embedding model's tokens. */
@ConfigMapping(prefix = "lectern.chunking")
public interface ChunkingConfig {

    @WithDefault("" + MarkdownChunker.DEFAULT_TARGET_TOKENS)
    int targetTokens();

    @WithDefault("" + MarkdownChunker.DEFAULT_OVERLAP_TOKENS)
    int overlapTokens();
}
