package dev.lectern.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.identity.Caller;
import dev.lectern.identity.Roles;
import dev.lectern.platform.Idempotency;
import dev.lectern.platform.Page;
import dev.lectern.progress.reading.ReadingProgressService;
import dev.lectern.progress.reading.ReadingProgressViews.BookChapterView;
import dev.lectern.progress.reading.ReadingProgressViews.RecentView;
import dev.lectern.progress.review.DueQueueService;
import dev.lectern.progress.review.MasteryService;
import dev.lectern.progress.review.ReviewItemService;
import dev.lectern.progress.review.ReviewViews.MasteryView;
import dev.lectern.progress.review.ReviewViews.ReviewItemView;
import dev.lectern.progress.review.ReviewViews.ReviewRequest;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.quarkus.security.ForbiddenException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A learner's own progress as tools: due reviews, recording a review, reading progress and mastery. Only for a
 * caller acting as a learner (a learner's key or token, or a service with {@code X-On-Behalf-Of}); each reads and
 * writes that learner's data only, with the REST API's rules.
 */
@ApplicationScoped
class LearnerTools {

    private static final String REVIEW_OPERATION = "POST /api/v1/me/review-items/%s/reviews";

    private final ToolCalls calls;
    private final DueQueueService dueQueue;
    private final ReviewItemService items;
    private final ReadingProgressService progress;
    private final MasteryService mastery;
    private final Idempotency idempotency;
    private final ObjectMapper json;

    LearnerTools(
            ToolCalls calls,
            DueQueueService dueQueue,
            ReviewItemService items,
            ReadingProgressService progress,
            MasteryService mastery,
            Idempotency idempotency,
            ObjectMapper json) {
        this.calls = calls;
        this.dueQueue = dueQueue;
        this.items = items;
        this.progress = progress;
        this.mastery = mastery;
        this.idempotency = idempotency;
        this.json = json;
    }

    record DueReviews(
            @Min(1) @Max(100) Integer limit,
            Instant before,
            @Size(max = 1000) String cursor) {}

    record RecordReview(
            @NotNull UUID itemId,

            @NotNull @Pattern(regexp = "^(again|hard|good|easy)$", message = "must be one of again, hard, good, easy")
            String rating,

            Instant reviewedAt,
            @Size(min = 1, max = 255) String idempotencyKey) {}

    record ReadingProgress(
            @Pattern(regexp = "^[a-z0-9]+(-[a-z0-9]+)*$", message = "must be a book slug")
            String book) {}

    record GetMastery(
            @NotBlank @Size(max = 100) String framework,
            @Size(max = 100) String subject) {}

    List<AsyncToolSpecification> tools(McpJsonMapper mapper) {
        return List.of(
                calls.tool(
                        mapper,
                        "get_due_reviews",
                        "Get the learner's due reviews",
                        "Lists the learner's flashcards (review items) due for review, most overdue first: id, "
                                + "front, back, due time and the chapter they come from. Quiz the learner on the "
                                + "front, then record how it went with record_review. Needs a caller acting for "
                                + "a learner.",
                        """
                                {"type":"object","additionalProperties":false,"properties":{
                                  "limit":{"type":"integer","minimum":1,"maximum":100,"description":"Items per page (default 20)"},
                                  "before":{"type":"string","format":"date-time","description":"Due at or before this instant (default now)"},
                                  "cursor":{"type":"string","description":"The previous page's next cursor"}}}""",
                        false,
                        DueReviews.class,
                        this::due),
                calls.tool(
                        mapper,
                        "record_review",
                        "Record a review",
                        "Records how the learner did on one review item (again: forgot; hard; good; easy) and "
                                + "returns its next due time, scheduled by FSRS. Safe to retry: give an "
                                + "idempotencyKey (or the reviewedAt of the first try) and a repeat is answered "
                                + "with the first result instead of counting twice. Needs a caller acting for a "
                                + "learner.",
                        """
                                {"type":"object","additionalProperties":false,"required":["itemId","rating"],"properties":{
                                  "itemId":{"type":"string","format":"uuid","description":"The review item's id, from get_due_reviews"},
                                  "rating":{"type":"string","enum":["again","hard","good","easy"]},
                                  "reviewedAt":{"type":"string","format":"date-time","description":"When the review happened (default now)"},
                                  "idempotencyKey":{"type":"string","minLength":1,"maxLength":255,"description":"Any unique string for this review; a retry with the same key is not counted twice"}}}""",
                        true,
                        RecordReview.class,
                        this::review),
                calls.tool(
                        mapper,
                        "get_reading_progress",
                        "Get the learner's reading progress",
                        "With a book: the learner's progress through it (completion, each chapter's status, "
                                + "percent read and resume position). Without: the chapters they read most "
                                + "recently, to pick up where they left off. Needs a caller acting for a learner.",
                        """
                                {"type":"object","additionalProperties":false,"properties":{
                                  "book":{"type":"string","description":"Book slug; omit for the most recently read chapters"}}}""",
                        false,
                        ReadingProgress.class,
                        this::progress),
                calls.tool(
                        mapper,
                        "get_mastery",
                        "Get the learner's outcome mastery",
                        "How well the learner masters each learning outcome of a curriculum framework "
                                + "(not_started, developing, consolidating, secure), from their spaced-repetition "
                                + "reviews. Use it to choose what to study next. Needs a caller acting for a "
                                + "learner.",
                        """
                                {"type":"object","additionalProperties":false,"required":["framework"],"properties":{
                                  "framework":{"type":"string","description":"Curriculum framework code"},
                                  "subject":{"type":"string","description":"Only this subject's outcomes (subject code)"}}}""",
                        false,
                        GetMastery.class,
                        this::mastery));
    }

    /** The learner the caller acts as; a tool error for anyone else. */
    private static UUID learner(Caller caller) {
        if (caller.userId() == null || !caller.roles().contains(Roles.LEARNER)) {
            throw new ForbiddenException("this tool is for a learner: connect with a learner's credentials, or as a "
                    + "service with X-On-Behalf-Of naming the learner");
        }
        return caller.userId();
    }

    private Uni<ToolCalls.Result> due(Caller caller, DueReviews arguments) {
        UUID me = learner(caller);
        int limit = arguments.limit() == null ? Page.DEFAULT_LIMIT : arguments.limit();
        return dueQueue.due(me, arguments.before(), limit, arguments.cursor()).map(page -> {
            StringBuilder text = new StringBuilder();
            for (ReviewItemView item : page.items()) {
                text.append("- item ")
                        .append(item.id())
                        .append(" (due ")
                        .append(item.due())
                        .append("): ")
                        .append(item.front())
                        .append('\n');
            }
            return new ToolCalls.Result(page, ToolCalls.paged(text, page, "Nothing is due.", "More are due"));
        });
    }

    private Uni<ToolCalls.Result> review(Caller caller, RecordReview arguments) {
        UUID me = learner(caller);
        ReviewRequest request = new ReviewRequest(arguments.rating(), arguments.reviewedAt(), null);
        String key = arguments.idempotencyKey();
        if (key == null && arguments.reviewedAt() != null) {
            // One item is not reviewed twice at the same instant: a retry of the same review replays the first.
            key = "mcp:" + arguments.itemId() + ":" + arguments.reviewedAt();
        }
        return idempotency
                .once(
                        key,
                        me,
                        REVIEW_OPERATION.formatted(arguments.itemId()),
                        request,
                        () -> items.review(arguments.itemId(), me, false, request)
                                .map(item ->
                                        jakarta.ws.rs.core.Response.ok(item).build()))
                .map(response -> {
                    ReviewItemView item = item(response.getEntity());
                    boolean replayed = response.getHeaderString(Idempotency.REPLAYED) != null;
                    String text = (replayed ? "Already recorded (this retry changed nothing). " : "Recorded. ")
                            + "Next review due " + item.due() + " (state " + item.state() + ", "
                            + String.format(Locale.ROOT, "stability %.1f days", item.stability()) + ").";
                    return new ToolCalls.Result(Map.of("item", item, "replayed", replayed), text);
                });
    }

    private ReviewItemView item(Object entity) {
        if (entity instanceof ReviewItemView view) {
            return view;
        }
        try {
            return json.readValue((String) entity, ReviewItemView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Uni<ToolCalls.Result> progress(Caller caller, ReadingProgress arguments) {
        UUID me = learner(caller);
        boolean drafts = caller.canSeeDrafts();
        if (arguments.book() == null) {
            return progress.recent(me, 10, true, drafts).map(recent -> {
                StringBuilder text = new StringBuilder();
                for (RecentView chapter : recent) {
                    text.append(String.format(
                            Locale.ROOT,
                            "- %s › %s (%s): %.0f%%%s%n",
                            chapter.book(),
                            chapter.chapterTitle(),
                            chapter.chapterSlug(),
                            chapter.percent(),
                            chapter.completed() ? ", completed" : ""));
                }
                if (recent.isEmpty()) {
                    text.append("The learner has not started reading.\n");
                }
                return new ToolCalls.Result(Map.of("recent", recent), text.toString());
            });
        }
        return progress.book(me, arguments.book(), drafts).map(book -> {
            StringBuilder text = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%s: %d of %d chapters completed (%.0f%%)%n",
                    book.book(),
                    book.completedChapters(),
                    book.totalChapters(),
                    book.completion()));
            for (BookChapterView chapter : book.chapters()) {
                text.append(String.format(
                        Locale.ROOT,
                        "%d. %s (%s): %s, %.0f%%%n",
                        chapter.number(),
                        chapter.title(),
                        chapter.slug(),
                        chapter.status(),
                        chapter.percent()));
            }
            return new ToolCalls.Result(book, text.toString());
        });
    }

    private Uni<ToolCalls.Result> mastery(Caller caller, GetMastery arguments) {
        UUID me = learner(caller);
        return mastery.mastery(me, arguments.framework(), arguments.subject()).map(report -> {
            StringBuilder text =
                    new StringBuilder("Mastery in ").append(report.framework()).append(":\n");
            for (MasteryView outcome : report.outcomes()) {
                text.append("- ")
                        .append(outcome.outcome())
                        .append(": ")
                        .append(outcome.level())
                        .append(outcome.description() == null ? "" : " — " + outcome.description())
                        .append('\n');
            }
            if (report.outcomes().isEmpty()) {
                text.append("No outcomes.\n");
            }
            return new ToolCalls.Result(report, text.toString());
        });
    }
}
