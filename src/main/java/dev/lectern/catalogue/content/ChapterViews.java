package dev.lectern.catalogue.content;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the chapter endpoints. */
public final class ChapterViews {

    private ChapterViews() {}

    @Schema(name = "Section")
    public record SectionView(
            @Schema(example = "2") int number,
            @Schema(example = "Quality of Service") String title,

            @Schema(description = "Heading anchor, for links like /docs/chapter#anchor", example = "qos")
            String anchor,

            @Schema(description = "The section's Markdown, without its heading")
            String body) {

        static SectionView of(Section section) {
            return new SectionView(section.number, section.title, section.anchor, section.body);
        }
    }

    @Schema(name = "Chapter", description = "A chapter with its ordered sections")
    public record ChapterView(
            UUID id,
            @Schema(example = "ros2-fundamentals") String book,
            @Schema(example = "nodes-and-topics") String slug,
            @Schema(example = "2") int number,
            @Schema(example = "Nodes and Topics") String title,
            String summary,
            Difficulty difficulty,
            @Schema(example = "6") int estimatedReadingMinutes,
            String author,
            boolean published,
            Instant publishedAt,

            @Schema(description = "Outcome codes this chapter teaches", example = "[\"ROS.COMM.1\"]")
            List<String> outcomes,

            @Schema(description = "SHA-256 of the normalised Markdown document")
            String contentHash,

            @Schema(
                    description =
                            "For an imported chapter, its page's path in the imported docs folder; null for chapters written through the API",
                    example = "02-nodes-and-topics.md")
            String sourcePath,

            @Schema(description = "Moves only when the content changes")
            long version,

            Instant createdAt,
            Instant updatedAt,
            List<SectionView> sections) {

        String etag() {
            return ChapterViews.etag(version, contentHash);
        }
    }

    @Schema(name = "ChapterSummary", description = "A chapter in a list (no sections)")
    public record ChapterSummary(
            UUID id,
            String slug,
            int number,
            String title,
            String summary,
            Difficulty difficulty,
            int estimatedReadingMinutes,
            boolean published,
            List<String> outcomes,

            @Schema(description = "For an imported chapter, its page's path in the imported docs folder")
            String sourcePath,

            long version,
            Instant updatedAt) {}

    /** Outcome of a chapter upload: whether it created the chapter and whether anything changed. */
    public record Upsert(ChapterView chapter, boolean created, boolean changed) {}

    static String etag(long version, String contentHash) {
        return "\"" + version + "-" + contentHash.substring(0, 16) + "\"";
    }

    static ChapterView view(String bookSlug, Chapter c, List<String> outcomes, List<Section> sections) {
        return new ChapterView(
                c.id,
                bookSlug,
                c.slug,
                c.number,
                c.title,
                c.summary,
                Difficulty.fromCode(c.difficulty),
                c.estimatedReadingMinutes,
                c.author,
                c.published,
                c.publishedAt,
                outcomes,
                c.contentHash,
                c.sourcePath,
                c.version,
                c.createdAt,
                c.updatedAt,
                sections.stream().map(SectionView::of).toList());
    }

    static ChapterSummary summary(ChapterRepository.ListRow c, List<String> outcomes) {
        return new ChapterSummary(
                c.id(),
                c.slug(),
                c.number(),
                c.title(),
                c.summary(),
                Difficulty.fromCode(c.difficulty()),
                c.estimatedReadingMinutes(),
                c.published(),
                outcomes,
                c.sourcePath(),
                c.version(),
                c.updatedAt());
    }
}
