package dev.lectern.progress;

import dev.lectern.identity.ExportContributor;
import dev.lectern.progress.reading.ReadingProgressService;
import dev.lectern.progress.review.ReviewItemService;
import dev.lectern.progress.study.EnrolmentService;
import dev.lectern.progress.study.SessionService;
import dev.lectern.progress.study.TaskService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The progress section of a user's GDPR export: enrolments, reading progress, review items, the review log, tasks and
 * sessions, each from the service of its sub-feature.
 */
@ApplicationScoped
public class ProgressExport implements ExportContributor {

    private final ReadingProgressService reading;
    private final ReviewItemService reviews;
    private final EnrolmentService enrolments;
    private final TaskService tasks;
    private final SessionService sessions;

    public ProgressExport(
            ReadingProgressService reading,
            ReviewItemService reviews,
            EnrolmentService enrolments,
            TaskService tasks,
            SessionService sessions) {
        this.reading = reading;
        this.reviews = reviews;
        this.enrolments = enrolments;
        this.tasks = tasks;
        this.sessions = sessions;
    }

    @Override
    public String section() {
        return "progress";
    }

    @Override
    public Uni<Object> export(UUID userId, boolean drafts) {
        return reading.export(userId)
                .chain(progress -> reviews.export(userId)
                        .chain(spaced -> enrolments.list(userId, drafts).map(enrolled -> {
                            Map<String, Object> section = new LinkedHashMap<>();
                            section.put("enrolments", enrolled);
                            section.put("reading", progress);
                            section.put("spacedRepetition", spaced);
                            return section;
                        })))
                .chain(section -> tasks.export(userId).map(list -> {
                    section.put("tasks", list);
                    return section;
                }))
                .chain(section -> sessions.export(userId).map(list -> {
                    section.put("sessions", list);
                    return (Object) section;
                }));
    }
}
