package dev.lectern.index.chunk;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code lectern.chunking.*} (environment: {@code LECTERN_CHUNKING_*}): chunk sizes in all-MiniLM-L6-v2's WordPiece
 * tokens (an approximation for remote models); the overlap is about 15 % of the target.
 */
@ConfigMapping(prefix = "lectern.chunking")
public interface ChunkingConfig {

    @WithDefault("" + MarkdownChunker.DEFAULT_TARGET_TOKENS)
    int targetTokens();

    @WithDefault("" + MarkdownChunker.DEFAULT_OVERLAP_TOKENS)
    int overlapTokens();
}
