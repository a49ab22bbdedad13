package dev.lectern.progress.study;

import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.progress.study.TaskViews.CreateTaskRequest;
import dev.lectern.progress.study.TaskViews.Filter;
import dev.lectern.progress.study.TaskViews.Sort;
import dev.lectern.progress.study.TaskViews.TaskView;
import dev.lectern.progress.study.TaskViews.UpdateTaskRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Study tasks: CRUD, and a filtered, sorted, keyset-paginated list ({@link TaskStore} sends each as one statement).
 * Titles are trimmed, tags trimmed, lower-cased and deduplicated, priority defaults to medium; a task may name a live
 * chapter the caller may read.
 */
@ApplicationScoped
public class TaskService {

    private final TaskStore store;
    private final ChapterService chapters;

    public TaskService(TaskStore store, ChapterService chapters) {
        this.store = store;
        this.chapters = chapters;
    }

    public Uni<TaskView> create(UUID userId, CreateTaskRequest request, boolean drafts) {
        if (request.dueTime() != null && request.dueDate() == null) {
            return Uni.createFrom().failure(ProblemException.invalid("dueTime", "needs a dueDate"));
        }
        CreateTaskRequest normalised = new CreateTaskRequest(
                request.title().trim(),
                request.description(),
                request.priority() == null ? "medium" : request.priority(),
                request.category(),
                tags(request.tags()),
                request.dueDate(),
                request.dueTime(),
                request.chapterId());
        return checkChapter(request.chapterId(), drafts).chain(() -> store.insert(userId, normalised));
    }

    public Uni<TaskView> get(UUID taskId, UUID callerId, boolean admin) {
        return store.get(taskId, callerId, admin).map(task -> task.orElseThrow(() -> notFound(taskId)));
    }

    public Uni<TaskView> update(UUID taskId, UUID callerId, boolean admin, UpdateTaskRequest request, boolean drafts) {
        UpdateTaskRequest normalised = new UpdateTaskRequest(
                request.title() == null ? null : request.title().trim(),
                request.description(),
                request.priority(),
                request.category(),
                request.tags() == null ? null : tags(request.tags()),
                request.dueDate(),
                request.dueTime(),
                request.completed(),
                request.chapterId());
        return checkChapter(request.chapterId(), drafts)
                .chain(() -> store.update(taskId, callerId, admin, normalised))
                .map(task -> task.orElseThrow(() -> notFound(taskId)));
    }

    public Uni<Void> delete(UUID taskId, UUID callerId, boolean admin) {
        return store.delete(taskId, callerId, admin).map(deleted -> {
            if (!deleted) {
                throw notFound(taskId);
            }
            return null;
        });
    }

    /** One statement whatever the filters; the sort key of the last row is the cursor. */
    public Uni<Page<TaskView>> list(UUID userId, Filter filter, Sort sort, int limit, String cursor) {
        TaskStore.After after = cursor == null ? null : after(sort, cursor);
        return store.list(userId, filter, sort, limit + 1, after)
                .map(rows -> Page.of(rows, limit, TaskStore.ListedTask::task, r -> cursorOf(sort, r)));
    }

    /** The user's tasks, for the GDPR export. */
    public Uni<List<TaskView>> export(UUID userId) {
        return store.export(userId);
    }

    private static TaskStore.After after(Sort sort, String cursor) {
        return switch (sort) {
            case due -> {
                List<String> k = Cursor.decode(cursor, "tasks-due", 2);
                yield new TaskStore.After(Cursor.dateKey(k.get(0)), null, null, Cursor.uuidKey(k.get(1)));
            }
            case priority -> {
                List<String> k = Cursor.decode(cursor, "tasks-priority", 3);
                yield new TaskStore.After(
                        null, Cursor.intKey(k.get(0)), Cursor.timestampKey(k.get(1)), Cursor.uuidKey(k.get(2)));
            }
            case created -> {
                List<String> k = Cursor.decode(cursor, "tasks-created", 2);
                yield new TaskStore.After(null, null, Cursor.timestampKey(k.get(0)), Cursor.uuidKey(k.get(1)));
            }
        };
    }

    private static String cursorOf(Sort sort, TaskStore.ListedTask t) {
        return switch (sort) {
            case due ->
                Cursor.encode(
                        "tasks-due",
                        t.task().dueDate() == null ? "9999-12-31" : t.task().dueDate(),
                        t.task().id());
            case priority ->
                Cursor.encode(
                        "tasks-priority",
                        t.priorityRank(),
                        t.createdAt(),
                        t.task().id());
            case created ->
                Cursor.encode("tasks-created", t.createdAt(), t.task().id());
        };
    }

    /**
     * A task may name only a chapter the caller may read (drafts only for those who see drafts); any other id,
     * a draft's included, is answered alike, so the answer tells a learner nothing about drafts.
     */
    private Uni<Void> checkChapter(UUID chapterId, boolean drafts) {
        if (chapterId == null) {
            return Uni.createFrom().voidItem();
        }
        return chapters.visible(chapterId, drafts).map(exists -> {
            if (!exists) {
                throw ProblemException.invalid("chapterId", "names no chapter");
            }
            return null;
        });
    }

    private static List<String> tags(List<String> tags) {
        return tags == null
                ? List.of()
                : tags.stream()
                        .map(t -> t.trim().toLowerCase(Locale.ROOT))
                        .distinct()
                        .toList();
    }

    private static ProblemException notFound(UUID taskId) {
        return ProblemException.notFound("no task " + taskId);
    }
}
