package dev.lectern.progress.study;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the study-task endpoints, and the query of their list. */
public final class TaskViews {

    static final String PRIORITY = "^(high|medium|low)$";
    static final String PRIORITY_MESSAGE = "must be one of high, medium, low";

    private TaskViews() {}

    /** Filters of the task list; null means "any". */
    public record Filter(
            Boolean completed, String priority, String tag, LocalDate dueBefore, LocalDate dueAfter, Boolean overdue) {}

    /** Orders of the task list. */
    public enum Sort {
        created,
        due,
        priority
    }

    @Schema(name = "CreateTask")
    public record CreateTaskRequest(
            @NotBlank @Size(max = 200) @Schema(example = "Re-read the QoS section")
            String title,

            @Size(max = 10_000) String description,

            @Pattern(regexp = PRIORITY, message = PRIORITY_MESSAGE) @Schema(defaultValue = "medium")
            String priority,

            @Size(min = 1, max = 100) @Schema(example = "reading")
            String category,

            @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags,
            @Schema(example = "2026-12-01") LocalDate dueDate,

            @Schema(description = "Only with dueDate", example = "18:00:00")
            LocalTime dueTime,

            UUID chapterId) {}

    @Schema(name = "UpdateTask", description = "Fields to change; absent fields stay as they are")
    public record UpdateTaskRequest(
            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String title,

            @Size(max = 10_000) String description,

            @Pattern(regexp = PRIORITY, message = PRIORITY_MESSAGE)
            String priority,

            @Size(min = 1, max = 100) String category,
            @Size(max = 20) List<@NotBlank @Size(max = 50) String> tags,
            LocalDate dueDate,
            LocalTime dueTime,
            Boolean completed,
            UUID chapterId) {}

    @Schema(name = "Task")
    public record TaskView(
            UUID id,
            String title,
            String description,
            String priority,
            String category,
            List<String> tags,
            LocalDate dueDate,
            LocalTime dueTime,
            boolean completed,
            Instant completedAt,
            UUID chapterId,

            @Schema(description = "Not completed and past its due date (and time), in UTC")
            boolean overdue,

            Instant createdAt,
            Instant updatedAt) {}
}
