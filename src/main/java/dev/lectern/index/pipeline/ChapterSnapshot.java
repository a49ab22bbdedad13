package dev.lectern.index.pipeline;

import dev.lectern.index.chunk.SectionSource;
import java.util.List;
import java.util.UUID;

/**
 * What the indexer needs of a chapter at one moment: its text (sections), the payload its points are filtered on,
 * and whether its points belong in the serving index at all ({@code live}: neither it nor its book is deleted).
 */
record ChapterSnapshot(
        UUID id,
        UUID bookId,
        String title,
        String difficulty,
        String language,
        String contentHash,
        boolean live,
        List<String> outcomeCodes,
        List<SectionSource> sections) {}
