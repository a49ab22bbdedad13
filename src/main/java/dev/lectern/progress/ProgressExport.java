package dev.lectern.progress;

import dev.lectern.identity.ExportContributor;
import dev.lectern.progress.review.ReviewItemService;
import dev.lectern.progress.study.EnrolmentService;
import dev.lectern.progress.study.TaskService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The progress section of a user's GDPR export: reading progress, review items, the review log and settings. */
@ApplicationScoped
public class ProgressExport implements ExportContributor {

    private final Pool pool;
    private final ReviewItemService reviews;
    private final EnrolmentService enrolments;

    public ProgressExport(Pool pool, ReviewItemService reviews, EnrolmentService enrolments) {
        this.pool = pool;
        this.reviews = reviews;
        this.enrolments = enrolments;
    }

    @Override
    public String section() {
        return "progress";
    }

    @Override
    public Uni<Object> export(UUID userId) {
        return pool.preparedQuery("""
                SELECT chapter_id, percent, section_number, section_offset, time_spent_seconds, completed_at, updated_at
                FROM reading_progress WHERE user_id = $1 ORDER BY updated_at""")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Map<String, Object>> reading = new ArrayList<>();
                    for (Row r : rows) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("chapterId", r.getUUID("chapter_id"));
                        entry.put("percent", r.getDouble("percent"));
                        entry.put("sectionNumber", r.getInteger("section_number"));
                        entry.put("sectionOffset", r.getInteger("section_offset"));
                        entry.put("timeSpentSeconds", r.getLong("time_spent_seconds"));
                        entry.put("completedAt", r.getOffsetDateTime("completed_at"));
                        entry.put("updatedAt", r.getOffsetDateTime("updated_at"));
                        reading.add(entry);
                    }
                    return reading;
                })
                .chain(reading -> reviews.export(userId)
                        .chain(spaced -> enrolments.list(userId).map(enrolled -> {
                            Map<String, Object> section = new LinkedHashMap<>();
                            section.put("enrolments", enrolled);
                            section.put("reading", reading);
                            section.put("spacedRepetition", spaced);
                            return section;
                        })))
                .chain(section -> pool.preparedQuery("SELECT " + TaskService.COLUMNS
                                + " FROM study_tasks WHERE user_id = $1 ORDER BY created_at")
                        .execute(Tuple.of(userId))
                        .map(rows -> {
                            List<Object> tasks = new ArrayList<>();
                            rows.forEach(r -> tasks.add(TaskService.view(r)));
                            section.put("tasks", tasks);
                            return section;
                        }))
                .chain(section -> pool.preparedQuery("""
                        SELECT id, chapter_id, started_at, ended_at, active_seconds, items_reviewed, content_generated
                        FROM learning_sessions WHERE user_id = $1 ORDER BY started_at""")
                        .execute(Tuple.of(userId))
                        .map(rows -> {
                            List<Object> list = new ArrayList<>();
                            rows.forEach(r -> list.add(r.toJson().getMap()));
                            section.put("sessions", list);
                            return (Object) section;
                        }));
    }
}
