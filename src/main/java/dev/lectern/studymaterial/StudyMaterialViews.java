package dev.lectern.studymaterial;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the generated-material endpoints. */
public final class StudyMaterialViews {

    static final String TYPES = "^(study_guide|flashcards|quiz|summary|lesson_plan|explanation|practice_problems)$";
    static final String TYPES_MESSAGE =
            "must be one of study_guide, flashcards, quiz, summary, lesson_plan, explanation, practice_problems";
    static final String AUDIENCES = "^(elementary|middle_school|high_school|university|professional)$";
    static final String AUDIENCES_MESSAGE =
            "must be one of elementary, middle_school, high_school, university, professional";

    private StudyMaterialViews() {}

    @Schema(name = "CreateGenerated", description = """
            body depends on contentType: flashcards {"cards":[{"front","back"}]}, quiz {"questions":[{"question","options":[...],"answer"}]} \
            (answer: an option's text or index), anything else {"markdown":"..."}""")
    public record CreateGeneratedRequest(
            @NotBlank @Size(max = 500) @Schema(example = "Quality of Service in ROS 2")
            String topic,

            @NotNull @Pattern(regexp = TYPES, message = TYPES_MESSAGE) @Schema(example = "flashcards")
            String contentType,

            @NotNull @Pattern(regexp = AUDIENCES, message = AUDIENCES_MESSAGE) @Schema(example = "university")
            String audienceLevel,

            @NotNull
            @Schema(
                    implementation = Map.class,
                    description = "The material itself, a JSON object whose shape depends on contentType: flashcards "
                            + "hold cards (front and back), a quiz holds questions (options and an answer)")
            JsonNode body,

            @DecimalMin("0") @DecimalMax("1") Double qualityScore,

            @Schema(
                    description =
                            "Standards the material addresses, free-form JSON, e.g. a list of framework and code pairs")
            JsonNode educationalStandards,

            @Size(max = 30) List<@NotBlank @Size(max = 50) String> tags,

            @Schema(description = "The prompts that produced it, free-form JSON")
            JsonNode sourcePrompts,

            @Size(max = 200) String model,
            @Min(0) Integer generationMs,
            @Size(max = 50) List<@NotNull UUID> chapterIds,

            @Size(max = 50) @Schema(description = "Outcome codes, or FRAMEWORK/CODE")
            List<@NotBlank String> outcomes) {}

    @Schema(name = "Generated")
    public record GeneratedView(
            UUID id,
            String topic,
            String contentType,
            String audienceLevel,
            @Schema(implementation = Map.class) JsonNode body,
            Double qualityScore,
            int wordCount,
            int readingMinutes,
            JsonNode educationalStandards,
            List<String> tags,
            JsonNode sourcePrompts,
            String model,
            Integer generationMs,
            List<UUID> chapterIds,
            List<UUID> outcomeIds,
            Instant createdAt,
            Instant updatedAt) {}
}
