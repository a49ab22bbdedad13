package dev.lectern.index.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response records of search and context packs. */
public final class SearchViews {

    private SearchViews() {}

    public enum Mode {
        @JsonProperty("dense")
        DENSE,
        @JsonProperty("fulltext")
        FULLTEXT,
        @JsonProperty("hybrid")
        HYBRID;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Schema(
            name = "SearchFilters",
            description = "Every field optional; values within a list are alternatives, fields combine with AND")
    public record Filters(
            @Schema(description = "Book slug", example = "ros2-fundamentals")
            @Pattern(regexp = "^[a-z0-9]+(-[a-z0-9]+)*$", message = "must be a book slug")
            String book,

            @Schema(description = "Chapter slugs (within `book` when given)") @Size(max = 100)
            List<@Pattern(regexp = "^[a-z0-9]+(-[a-z0-9]+)*$", message = "must be a chapter slug") String> chapters,

            @Schema(description = "Section numbers") @Size(max = 100)
            List<@Min(1) Integer> sections,

            @Schema(description = "beginner, intermediate, advanced") @Size(max = 3)
            List<
                            @Pattern(
                                    regexp = "beginner|intermediate|advanced",
                                    message = "must be beginner, intermediate or advanced")
                            String>
                    difficulty,

            @Schema(description = "Book language codes", example = "[\"en\"]") @Size(max = 20)
            List<@Pattern(regexp = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", message = "must be a language code") String>
                    language,

            @Schema(description = "Outcome codes the chapter teaches") @Size(max = 100)
            List<@Size(min = 1, max = 100) String> outcomes) {

        static final Filters NONE = new Filters(null, null, null, null, null, null);
    }

    @Schema(name = "SearchRequest")
    public record SearchRequest(
            @NotBlank @Size(max = 2000) @Schema(example = "How do I call a ROS 2 service from the command line?")
            String query,

            @Min(1) @Max(50) @Schema(description = "Hits to return (default 10)")
            Integer limit,

            @Schema(
                    description =
                            "hybrid (default): dense similarity and full-text score combined, half and half by default")
            Mode mode,

            @Valid Filters filters,

            @DecimalMin("0")
            @DecimalMax("1")
            @Schema(
                    description =
                            "Minimum score: cosine similarity for dense and for hybrid's dense candidates; for fulltext the share of the question's terms a passage holds (weighted by inverse document frequency when not every term is held), times 0.9 + 0.1 × its normalised ts_rank_cd (0 to 1)")
            Double scoreThreshold,

            @Schema(
                    description =
                            "Maximal marginal relevance re-ranking (the mode's relevance against similarity to passages already picked), so near-duplicate passages do not crowd the top")
            Boolean diversify) {}

    @Schema(name = "SearchHit")
    public record Hit(
            UUID chunkId,

            @Schema(
                    description =
                            "Mode's score: cosine similarity (dense); share of the question's terms held, IDF-weighted, refined by ts_rank_cd (fulltext); for hybrid, 0 to 1, the weighted sum of the dense similarity scaled between the 40th and the best dense candidate and the full-text score")
            double score,

            String text,
            List<String> headingPath,
            String book,
            String bookTitle,
            String chapter,
            UUID chapterId,
            String chapterTitle,
            int sectionNumber,
            String sectionTitle,
            String anchor) {

        public Hit withScore(double newScore) {
            return new Hit(
                    chunkId,
                    newScore,
                    text,
                    headingPath,
                    book,
                    bookTitle,
                    chapter,
                    chapterId,
                    chapterTitle,
                    sectionNumber,
                    sectionTitle,
                    anchor);
        }
    }

    @Schema(name = "SearchResponse")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SearchResponse(
            String query,
            Mode mode,

            @Schema(
                    description =
                            "True when the vector index was unreachable and full-text results were served instead")
            Boolean degraded,

            List<Hit> hits) {}

    @Schema(name = "ContextRequest")
    public record ContextRequest(
            @NotBlank @Size(max = 2000) String query,

            @Min(50)
            @Max(32000)
            @Schema(description = "Most tokens (embedding model's tokenizer) the context text may take; default 1500")
            Integer tokenBudget,

            @Valid Filters filters) {}

    @Schema(name = "ContextSource", description = "A numbered citation target: one section of a chapter")
    public record Source(
            int number,
            String book,
            String bookTitle,
            String chapter,
            UUID chapterId,
            String chapterTitle,
            int sectionNumber,
            String sectionTitle,
            String anchor,
            double score) {}

    @Schema(name = "ContextPassage")
    public record Passage(int source, UUID chunkId, List<String> headingPath, String text, int tokens, double score) {}

    @Schema(name = "ContextPack")
    public record ContextPack(
            String query,
            int tokenBudget,
            int tokensUsed,

            @Schema(description = "Ready to paste into a prompt: passages under [n] source markers")
            String context,

            List<Source> sources,
            List<Passage> passages) {}
}
