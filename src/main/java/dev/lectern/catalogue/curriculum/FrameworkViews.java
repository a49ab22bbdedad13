package dev.lectern.catalogue.curriculum;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the curriculum endpoints. */
public final class FrameworkViews {

    static final String CODE = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    static final String CODE_MESSAGE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private FrameworkViews() {}

    @Schema(name = "CreateFramework")
    public record CreateFrameworkRequest(
            @NotNull @Pattern(regexp = CODE, message = CODE_MESSAGE) @Schema(example = "ros")
            String code,

            @NotBlank @Size(max = 200) @Schema(example = "ROS 2 Skills Framework")
            String name,

            @Pattern(regexp = "^[A-Z]{2}$", message = "must be an ISO 3166-1 alpha-2 country code")
            @Schema(example = "US")
            String country,

            @Schema(description = "Free-form description of the framework's levels or strands")
            Map<String, Object> structure,

            @Schema(description = "The default framework resolves unqualified outcome codes", defaultValue = "false")
            Boolean isDefault) {}

    @Schema(name = "Framework")
    public record FrameworkView(
            UUID id,
            String code,
            String name,
            String country,
            Map<String, Object> structure,
            boolean isDefault,
            Instant createdAt,
            Instant updatedAt) {

        static FrameworkView of(CurriculumFramework f) {
            return new FrameworkView(
                    f.id, f.code, f.name, f.country, f.structure, f.isDefault, f.createdAt, f.updatedAt);
        }
    }

    @Schema(name = "CreateSubject")
    public record CreateSubjectRequest(
            @NotNull @Pattern(regexp = CODE, message = CODE_MESSAGE) @Schema(example = "comm")
            String code,

            @NotBlank @Size(max = 200) @Schema(example = "Communication")
            String name,

            @Schema(description = "Free-form subject configuration")
            Map<String, Object> config) {}

    @Schema(name = "Subject")
    public record SubjectView(
            UUID id,
            String framework,
            String code,
            String name,
            Map<String, Object> config,
            Instant createdAt,
            Instant updatedAt) {

        static SubjectView of(String framework, Subject s) {
            return new SubjectView(s.id, framework, s.code, s.name, s.config, s.createdAt, s.updatedAt);
        }
    }

    @Schema(name = "CreateOutcome")
    public record CreateOutcomeRequest(
            @NotNull @Pattern(regexp = CODE, message = CODE_MESSAGE) @Schema(example = "ROS.COMM.1")
            String code,

            @Pattern(regexp = CODE, message = CODE_MESSAGE)
            @Schema(description = "Code of a subject of this framework", example = "comm")
            String subject,

            @NotBlank @Size(max = 2000) @Schema(example = "Explain how nodes exchange messages over topics")
            String description,

            @Size(min = 1, max = 100) @Schema(example = "foundation")
            String stage) {}

    @Schema(name = "Outcome")
    public record OutcomeView(
            UUID id,
            String framework,
            String subject,
            String code,
            String description,
            String stage,
            Instant createdAt,
            Instant updatedAt) {

        static OutcomeView of(String framework, String subject, Outcome o) {
            return new OutcomeView(o.id, framework, subject, o.code, o.description, o.stage, o.createdAt, o.updatedAt);
        }
    }
}
