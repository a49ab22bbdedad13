package dev.lectern.xapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the xAPI API answers. */
public final class XapiViews {

    private XapiViews() {}

    /** Where a statement is: waiting to be sent, held by the LRS, or refused by it (never sent again). */
    public enum StatementStatus {
        queued,
        delivered,
        rejected
    }

    /** One of the learner's statements with its delivery state. */
    public record XapiStatementView(
            UUID id,
            StatementStatus status,

            @Schema(description = "When the LRS took it; null unless delivered", nullable = true)
            Instant deliveredAt,

            @Schema(
                    type = SchemaType.OBJECT,
                    description = "The xAPI 1.0.3 statement as it is (or will be) POSTed to the Learning Record Store")
            JsonNode statement) {}
}
