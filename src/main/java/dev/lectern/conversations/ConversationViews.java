package dev.lectern.conversations;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the conversation endpoints. */
public final class ConversationViews {

    private ConversationViews() {}

    @Schema(name = "CreateConversation")
    public record CreateConversationRequest(
            @Size(min = 1, max = 300) @Schema(example = "Questions about QoS")
            String title,

            @Pattern(regexp = "^[a-z0-9]+(-[a-z0-9]+)*$", message = "must be a book slug")
            @Schema(example = "ros2-fundamentals")
            String book) {}

    @Schema(name = "UpdateConversation")
    public record UpdateConversationRequest(
            @NotNull @Size(min = 1, max = 300) String title) {}

    @Schema(name = "Conversation")
    public record ConversationView(
            UUID id,
            String title,
            String book,
            int messageCount,
            Instant lastMessageAt,
            Instant createdAt,
            Instant updatedAt) {}

    @Schema(
            name = "Source",
            description = "A citation: the chunk, chapter and section a message relied on, with its score")
    public record Source(
            UUID chunkId,
            @Size(max = 100) String book,

            @Size(max = 100) @Schema(description = "Chapter slug")
            String chapter,

            UUID chapterId,
            @Min(1) Integer sectionNumber,
            @Size(max = 300) String sectionTitle,
            @Size(max = 200) String anchor,
            @DecimalMin("-1000") @DecimalMax("1000") Double score,

            @Size(max = 5000) @Schema(description = "The quoted passage, if the client keeps it")
            String text) {}

    @Schema(name = "AppendMessage")
    public record AppendMessageRequest(
            @Size(min = 1, max = 100)
            @Schema(description = "Client id making the append idempotent: resending it returns the stored message")
            String clientMessageId,

            @NotNull
            @Pattern(
                    regexp = "^(user|assistant|system|tool)$",
                    message = "must be one of user, assistant, system, tool")
            String role,

            @NotNull @Size(max = 200_000) String content,

            @Size(max = 20_000) @Schema(description = "The text the learner had selected when asking")
            String selectedText,

            @Size(max = 50) List<@Valid @NotNull Source> sources,
            @Min(0) Integer promptTokens,
            @Min(0) Integer completionTokens,
            @Size(max = 200) String model,
            @Min(0) Integer latencyMs) {}

    @Schema(name = "Message")
    public record MessageView(
            UUID id,
            String clientMessageId,
            String role,
            String content,
            String selectedText,
            List<Source> sources,
            Integer promptTokens,
            Integer completionTokens,
            String model,
            Integer latencyMs,
            Instant createdAt) {}
}
