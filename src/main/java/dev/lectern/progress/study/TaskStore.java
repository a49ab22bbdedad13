package dev.lectern.progress.study;

import static dev.lectern.platform.Timestamps.instant;

import dev.lectern.platform.Ids;
import dev.lectern.progress.study.TaskViews.CreateTaskRequest;
import dev.lectern.progress.study.TaskViews.Filter;
import dev.lectern.progress.study.TaskViews.Sort;
import dev.lectern.progress.study.TaskViews.TaskView;
import dev.lectern.progress.study.TaskViews.UpdateTaskRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Study tasks in SQL: one statement per operation; the list is filtered, sorted and keyset-paginated in one statement
 * whatever the filters, and a task's overdue flag is computed by the database in UTC.
 */
@ApplicationScoped
public class TaskStore {

    private static final String COLUMNS = """
            id, title, description, priority, category, tags, due_date, due_time, completed, completed_at, chapter_id,
            created_at, updated_at,
            (NOT completed AND due_date IS NOT NULL AND (due_date < (now() AT TIME ZONE 'UTC')::date
              OR (due_date = (now() AT TIME ZONE 'UTC')::date AND due_time < (now() AT TIME ZONE 'UTC')::time))) AS overdue""";
    private static final String PRIORITY_RANK = "(CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)";
    private static final String DUE_KEY = "coalesce(due_date, DATE '9999-12-31')";

    /** A listed task with the sort keys its cursor is made of. */
    record ListedTask(TaskView task, int priorityRank, OffsetDateTime createdAt) {}

    /**
     * Where a page of the list starts: after the task with this sort key. {@code due} sorts by {@code dueKey, id},
     * {@code priority} by {@code priorityRank, createdAt, id}, {@code created} by {@code createdAt, id}; the other
     * fields are null.
     */
    record After(LocalDate dueKey, Integer priorityRank, OffsetDateTime createdAt, UUID id) {}

    private final Pool pool;

    public TaskStore(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the task as given: title, priority and tags already normalised. */
    Uni<TaskView> insert(UUID userId, CreateTaskRequest request) {
        return pool.preparedQuery("""
                INSERT INTO study_tasks (id, user_id, title, description, priority, category, tags, due_date, due_time, chapter_id)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                RETURNING\s""" + COLUMNS)
                .execute(Tuple.tuple()
                        .addUUID(Ids.newId())
                        .addUUID(userId)
                        .addString(request.title())
                        .addString(request.description())
                        .addString(request.priority())
                        .addString(request.category())
                        .addArrayOfString(request.tags().toArray(String[]::new))
                        .addLocalDate(request.dueDate())
                        .addLocalTime(request.dueTime())
                        .addUUID(request.chapterId()))
                .map(rows -> view(rows.iterator().next()));
    }

    /** The task if the caller owns it or is an admin. */
    Uni<Optional<TaskView>> get(UUID taskId, UUID callerId, boolean admin) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM study_tasks WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(taskId, callerId, admin))
                .map(TaskStore::single);
    }

    /**
     * Sets the fields the request gives (title and tags already normalised), in one statement; {@code completed}
     * stamps completedAt once, or clears it. Empty when the caller owns no such task and is no admin.
     */
    Uni<Optional<TaskView>> update(UUID taskId, UUID callerId, boolean admin, UpdateTaskRequest request) {
        List<String> sets = new ArrayList<>();
        Tuple params = Tuple.tuple().addUUID(taskId).addUUID(callerId).addBoolean(admin);
        if (request.title() != null) {
            params.addString(request.title());
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
            params.addArrayOfString(request.tags().toArray(String[]::new));
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
        return pool.preparedQuery(sql).execute(params).map(TaskStore::single);
    }

    /** Deletes the task if the caller owns it or is an admin; answers whether it did. */
    Uni<Boolean> delete(UUID taskId, UUID callerId, boolean admin) {
        return pool.preparedQuery("DELETE FROM study_tasks WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(taskId, callerId, admin))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Up to {@code rows} of the user's tasks matching the filter, in the sort's order, after {@code after} when given. */
    Uni<List<ListedTask>> list(UUID userId, Filter filter, Sort sort, int rows, After after) {
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
        String order = switch (sort) {
            case due -> DUE_KEY + ", id";
            case priority -> PRIORITY_RANK + ", created_at, id";
            default -> "created_at, id";
        };
        if (after != null) {
            appendAfter(where, params, sort, after);
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
                + " LIMIT " + rows;
        return pool.preparedQuery(sql).execute(params).map(found -> {
            List<ListedTask> list = new ArrayList<>();
            for (Row r : found) {
                list.add(new ListedTask(view(r), r.getInteger("priority_rank"), r.getOffsetDateTime("created_at")));
            }
            return list;
        });
    }

    private static void appendAfter(StringBuilder where, Tuple params, Sort sort, After after) {
        switch (sort) {
            case due -> {
                params.addLocalDate(after.dueKey()).addUUID(after.id());
                where.append(" AND (" + DUE_KEY + ", id) > ($")
                        .append(params.size() - 1)
                        .append(", $")
                        .append(params.size())
                        .append(")");
            }
            case priority -> {
                params.addInteger(after.priorityRank())
                        .addOffsetDateTime(after.createdAt())
                        .addUUID(after.id());
                where.append(" AND (" + PRIORITY_RANK + ", created_at, id) > ($")
                        .append(params.size() - 2)
                        .append(", $")
                        .append(params.size() - 1)
                        .append(", $")
                        .append(params.size())
                        .append(")");
            }
            default -> {
                params.addOffsetDateTime(after.createdAt()).addUUID(after.id());
                where.append(" AND (created_at, id) > ($")
                        .append(params.size() - 1)
                        .append(", $")
                        .append(params.size())
                        .append(")");
            }
        }
    }

    /** Every task of the user's, oldest first, for the GDPR export. */
    Uni<List<TaskView>> export(UUID userId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM study_tasks WHERE user_id = $1 ORDER BY created_at")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<TaskView> tasks = new ArrayList<>();
                    rows.forEach(r -> tasks.add(view(r)));
                    return tasks;
                });
    }

    private static Optional<TaskView> single(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(view(rows.iterator().next())) : Optional.empty();
    }

    private static TaskView view(Row r) {
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
