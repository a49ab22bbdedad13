package dev.lectern.progress.study;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.progress.study.TaskViews.CreateTaskRequest;
import dev.lectern.progress.study.TaskViews.TaskView;
import dev.lectern.progress.study.TaskViews.UpdateTaskRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Study tasks: CRUD, and a filtered, sorted, keyset-paginated list in one statement. */
@ApplicationScoped
public class TaskService {

    /** Filters of the task list; null means "any". */
    public record Filter(
            Boolean completed, String priority, String tag, LocalDate dueBefore, LocalDate dueAfter, Boolean overdue) {}

    public enum Sort {
        created,
        due,
        priority
    }

    public static final String COLUMNS = """
            id, title, description, priority, category, tags, due_date, due_time, completed, completed_at, chapter_id,
            created_at, updated_at,
            (NOT completed AND due_date IS NOT NULL AND (due_date < (now() AT TIME ZONE 'UTC')::date
              OR (due_date = (now() AT TIME ZONE 'UTC')::date AND due_time < (now() AT TIME ZONE 'UTC')::time))) AS overdue""";
    private static final String PRIORITY_RANK = "(CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)";
    private static final String DUE_KEY = "coalesce(due_date, DATE '9999-12-31')";

    private final Pool pool;

    public TaskService(Pool pool) {
        this.pool = pool;
    }

    public Uni<TaskView> create(UUID userId, CreateTaskRequest request) {
        if (request.dueTime() != null && request.dueDate() == null) {
            return Uni.createFrom().failure(ProblemException.invalid("dueTime", "needs a dueDate"));
        }
        return checkChapter(request.chapterId())
                .chain(() -> pool.preparedQuery("""
                INSERT INTO study_tasks (id, user_id, title, description, priority, category, tags, due_date, due_time, chapter_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                RETURNING\s""" + COLUMNS)
                        .execute(Tuple.tuple()
                                .addUUID(Ids.newId())
                                .addUUID(userId)
                                .addString(request.title().trim())
                                .addString(request.description())
                                .addString(request.priority() == null ? "medium" : request.priority())
                                .addString(request.category())
                                .addArrayOfString(tags(request.tags()))
                                .addLocalDate(request.dueDate())
                                .addLocalTime(request.dueTime())
                                .addUUID(request.chapterId()))
                        .map(rows -> view(rows.iterator().next())));
    }

    public Uni<TaskView> get(UUID taskId, UUID callerId, boolean admin) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM study_tasks WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(taskId, callerId, admin))
                .map(rows -> single(rows.iterator().hasNext() ? rows.iterator().next() : null, taskId));
    }

    public Uni<TaskView> update(UUID taskId, UUID callerId, boolean admin, UpdateTaskRequest request) {
        List<String> sets = new ArrayList<>();
        Tuple params = Tuple.tuple().addUUID(taskId).addUUID(callerId).addBoolean(admin);
        if (request.title() != null) {
            params.addString(request.title().trim());
            sets.add("title = $" + params.size());
        }
        if (request.description() != null) {
            params.addString(request.description());
            sets.add("description = $" + params.size());
        }
        if (request.priority() != null) {
            params.addString(request.priority());
            sets.add("priority = $" + params.size());
        }
        if (request.category() != null) {
            params.addString(request.category());
            sets.add("category = $" + params.size());
        }
        if (request.tags() != null) {
            params.addArrayOfString(tags(request.tags()));
            sets.add("tags = $" + params.size());
        }
        if (request.dueDate() != null) {
            params.addLocalDate(request.dueDate());
            sets.add("due_date = $" + params.size());
        }
        if (request.dueTime() != null) {
            params.addLocalTime(request.dueTime());
            sets.add("due_time = $" + params.size());
        }
        if (request.chapterId() != null) {
            params.addUUID(request.chapterId());
            sets.add("chapter_id = $" + params.size());
        }
        if (request.completed() != null) {
            sets.add(
                    request.completed()
                            ? "completed = true, completed_at = coalesce(completed_at, now())"
                            : "completed = false, completed_at = NULL");
        }
        sets.add("updated_at = now()");
        String sql = "UPDATE study_tasks SET " + String.join(", ", sets)
                + " WHERE id = $1 AND ($3 OR user_id = $2) RETURNING " + COLUMNS;
        return checkChapter(request.chapterId())
                .chain(() -> pool.preparedQuery(sql).execute(params))
                .map(rows -> single(rows.iterator().hasNext() ? rows.iterator().next() : null, taskId));
    }

    public Uni<Void> delete(UUID taskId, UUID callerId, boolean admin) {
        return pool.preparedQuery("DELETE FROM study_tasks WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(taskId, callerId, admin))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw notFound(taskId);
                    }
                    return null;
                });
    }

    /** One statement whatever the filters; the sort key of the last row is the cursor. */
    public Uni<Page<TaskView>> list(UUID userId, Filter filter, Sort sort, int limit, String cursor) {
        StringBuilder where = new StringBuilder("user_id = $1");
        Tuple params = Tuple.tuple().addUUID(userId);
        if (filter.completed() != null) {
            params.addBoolean(filter.completed());
            where.append(" AND completed = $").append(params.size());
        }
        if (filter.priority() != null) {
            params.addString(filter.priority());
            where.append(" AND priority = $").append(params.size());
        }
        if (filter.tag() != null) {
            params.addArrayOfString(new String[] {filter.tag()});
            where.append(" AND tags @> $").append(params.size()); // the GIN index answers @>
        }
        if (filter.dueBefore() != null) {
            params.addLocalDate(filter.dueBefore());
            where.append(" AND due_date < $").append(params.size());
        }
        if (filter.dueAfter() != null) {
            params.addLocalDate(filter.dueAfter());
            where.append(" AND due_date > $").append(params.size());
        }
        String order;
        String key;
        switch (sort) {
            case due -> {
                key = DUE_KEY + ", id";
                order = DUE_KEY + ", id";
            }
            case priority -> {
                key = PRIORITY_RANK + ", created_at, id";
                order = PRIORITY_RANK + ", created_at, id";
            }
            default -> {
                key = "created_at, id";
                order = "created_at, id";
            }
        }
        if (cursor != null) {
            appendAfter(where, params, sort, cursor);
        }
        String sql = "SELECT * FROM (SELECT " + COLUMNS + ", " + PRIORITY_RANK
                + " AS priority_rank FROM study_tasks WHERE " + where
                + ") t"
                + (Boolean.TRUE.equals(filter.overdue())
                        ? " WHERE overdue"
                        : Boolean.FALSE.equals(filter.overdue()) ? " WHERE NOT overdue" : "")
                + " ORDER BY "
                + order.replace(DUE_KEY, "coalesce(t.due_date, DATE '9999-12-31')")
                        .replace(PRIORITY_RANK, "t.priority_rank")
                + " LIMIT " + (limit + 1);
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            return Page.of(list, limit, TaskService::view, r -> cursorOf(sort, r));
        });
    }

    private static void appendAfter(StringBuilder where, Tuple params, Sort sort, String cursor) {
        switch (sort) {
            case due -> {
                List<String> k = Cursor.decode(cursor, "tasks-due", 2);
                params.addLocalDate(date(k.get(0))).addUUID(Cursor.uuidKey(k.get(1)));
                where.append(" AND (" + DUE_KEY + ", id) > ($")
                        .append(params.size() - 1)
                        .append(", $")
                        .append(params.size())
                        .append(")");
            }
            case priority -> {
                List<String> k = Cursor.decode(cursor, "tasks-priority", 3);
                params.addInteger(Cursor.intKey(k.get(0)))
                        .addOffsetDateTime(timestamp(k.get(1)))
                        .addUUID(Cursor.uuidKey(k.get(2)));
                where.append(" AND (" + PRIORITY_RANK + ", created_at, id) > ($")
                        .append(params.size() - 2)
                        .append(", $")
                        .append(params.size() - 1)
                        .append(", $")
                        .append(params.size())
                        .append(")");
            }
            default -> {
                List<String> k = Cursor.decode(cursor, "tasks-created", 2);
                params.addOffsetDateTime(timestamp(k.get(0))).addUUID(Cursor.uuidKey(k.get(1)));
                where.append(" AND (created_at, id) > ($")
                        .append(params.size() - 1)
                        .append(", $")
                        .append(params.size())
                        .append(")");
            }
        }
    }

    private static String cursorOf(Sort sort, Row r) {
        return switch (sort) {
            case due ->
                Cursor.encode(
                        "tasks-due",
                        r.getLocalDate("due_date") == null ? "9999-12-31" : r.getLocalDate("due_date"),
                        r.getUUID("id"));
            case priority ->
                Cursor.encode(
                        "tasks-priority",
                        r.getInteger("priority_rank"),
                        r.getOffsetDateTime("created_at"),
                        r.getUUID("id"));
            case created -> Cursor.encode("tasks-created", r.getOffsetDateTime("created_at"), r.getUUID("id"));
        };
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this list produced");
        }
    }

    private static OffsetDateTime timestamp(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this list produced");
        }
    }

    private Uni<Void> checkChapter(UUID chapterId) {
        if (chapterId == null) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("SELECT 1 FROM chapters WHERE id = $1 AND deleted_at IS NULL")
                .execute(Tuple.of(chapterId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.invalid("chapterId", "names no chapter");
                    }
                    return null;
                });
    }

    private static String[] tags(List<String> tags) {
        return tags == null
                ? new String[0]
                : tags.stream()
                        .map(t -> t.trim().toLowerCase(Locale.ROOT))
                        .distinct()
                        .toArray(String[]::new);
    }

    private static TaskView single(Row row, UUID taskId) {
        if (row == null) {
            throw notFound(taskId);
        }
        return view(row);
    }

    private static ProblemException notFound(UUID taskId) {
        return ProblemException.notFound("no task " + taskId);
    }

    public static TaskView view(Row r) {
        return new TaskView(
                r.getUUID("id"),
                r.getString("title"),
                r.getString("description"),
                r.getString("priority"),
                r.getString("category"),
                List.of(r.getArrayOfStrings("tags")),
                r.getLocalDate("due_date"),
                r.getLocalTime("due_time"),
                r.getBoolean("completed"),
                instant(r.getOffsetDateTime("completed_at")),
                r.getUUID("chapter_id"),
                Boolean.TRUE.equals(r.getBoolean("overdue")),
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("updated_at")));
    }
}
