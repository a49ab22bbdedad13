package dev.lectern.index.chunk;

import java.util.List;

/**
 * A passage of a chapter small enough to embed and cite.
 *
 * @param ordinal position of the chunk within its chapter, from 0
 * @param headingPath chapter title, section title, then any sub-headings above the passage
 * @param sectionNumber the section the passage belongs to (citation target)
 * @param anchor that section's anchor (citation target)
 * @param text the passage as Markdown source (code blocks, tables and list items never cut)
 * @param tokenCount tokens of {@code text} in the embedding model's own tokenizer
 * @param contentHash SHA-256 (hex) of the heading path and text: an unchanged hash means the stored vector is reusable
 */
public record Chunk(
        int ordinal,
        List<String> headingPath,
        int sectionNumber,
        String anchor,
        String text,
        int tokenCount,
        String contentHash) {}
