package dev.lectern.progress.study;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Response bodies of the enrolment endpoints. */
public final class EnrolmentViews {

    private EnrolmentViews() {}

    @Schema(name = "Enrolment")
    public record EnrolmentView(
            UUID id,
            @Schema(description = "book or subject") String type,
            String book,
            String framework,
            String subject,
            Instant enrolledAt) {}
}
