package dev.lectern.progress.review;

import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.catalogue.curriculum.FrameworkService;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import dev.lectern.progress.review.ReviewViews.CreateReviewItemRequest;
import dev.lectern.progress.review.ReviewViews.ReviewItemView;
import dev.lectern.progress.review.ReviewViews.ReviewRequest;
import dev.lectern.xapi.XapiOutbox;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Review items and their reviews: each review schedules the item with FSRS-6 ({@link Fsrs}) and appends to the review
 * log, which is never changed. Items are loaded and changed as a unit through their Panache repository; the optimistic
 * version turns a concurrent review of one item into a 409.
 */
@ApplicationScoped
public class ReviewItemService {

    /** Client clocks drift; a review this far in the future is still "now". */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * The earliest review accepted: no learner's history reaches further back (an import from an older system
     * included), and an older date is a client's bug that would schedule the item as if overdue for decades.
     */
    static final Instant EARLIEST_REVIEW = Instant.parse("1970-01-01T00:00:00Z");

    private final ReviewRepositories.Items items;
    private final ReviewRepositories.Logs logs;
    private final ReviewSettingsService settings;
    private final FrameworkService frameworks;
    private final ChapterService chapters;
    private final XapiOutbox xapi;

    public ReviewItemService(
            ReviewRepositories.Items items,
            ReviewRepositories.Logs logs,
            ReviewSettingsService settings,
            FrameworkService frameworks,
            ChapterService chapters,
            XapiOutbox xapi) {
        this.xapi = xapi;
        this.items = items;
        this.logs = logs;
        this.settings = settings;
        this.frameworks = frameworks;
        this.chapters = chapters;
    }

    /** A new item, due now; it may link only a chapter the caller may read (a draft is answered as no chapter). */
    @UncancellableTransaction
    public Uni<ReviewItemView> create(UUID userId, CreateReviewItemRequest request, boolean drafts) {
        if (request.outcome() == null && request.chapterId() == null && request.front() == null) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid(
                            List.of(new Problem.FieldError("outcome", "give an outcome, a chapterId or a front"))));
        }
        if (request.sectionNumber() != null && request.chapterId() == null) {
            return Uni.createFrom().failure(ProblemException.invalid("sectionNumber", "needs a chapterId"));
        }
        Uni<UUID> outcome = request.outcome() == null
                ? Uni.createFrom().nullItem()
                : frameworks.resolveOutcomeId(request.outcome(), "outcome");
        Uni<Boolean> chapter = request.chapterId() == null
                ? Uni.createFrom().item(true)
                : chapters.visible(request.chapterId(), drafts);
        return outcome.chain(outcomeId -> chapter.chain(exists -> {
            if (!exists) {
                return Uni.createFrom().failure(ProblemException.invalid("chapterId", "names no chapter"));
            }
            Instant now = Timestamps.now();
            Fsrs.Card fresh = Fsrs.Card.fresh(now);
            ReviewItem item = new ReviewItem();
            item.id = Ids.newId();
            item.userId = userId;
            item.outcomeId = outcomeId;
            item.chapterId = request.chapterId();
            item.sectionNumber = request.sectionNumber();
            item.front = request.front();
            item.back = request.back();
            item.state = fresh.state().code();
            item.step = fresh.step();
            item.due = now;
            item.createdAt = now;
            item.updatedAt = now;
            return items.persist(item)
                    .map(i -> view(i, Fsrs.defaultParameters())); // never reviewed: 0 whatever the weights
        }));
    }

    @WithSession
    public Uni<ReviewItemView> get(UUID itemId, UUID callerId, boolean admin) {
        return visible(itemId, callerId, admin)
                .chain(item -> settings.scheduling(item.userId).map(s -> view(item, s.parameters())));
    }

    /**
     * Applies a review. Offline clients may send {@code reviewedAt}; a review in the future or before the item's last
     * review is refused. Concurrent reviews of one item: the optimistic version lets one win, the other gets a 409.
     */
    @UncancellableTransaction
    public Uni<ReviewItemView> review(UUID itemId, UUID callerId, boolean admin, ReviewRequest request) {
        Instant now = Timestamps.now();
        Instant reviewedAt = request.reviewedAt() == null
                ? now
                : request.reviewedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (reviewedAt.isAfter(now.plus(CLOCK_SKEW))) {
            return Uni.createFrom().failure(ProblemException.invalid("reviewedAt", "must not be in the future"));
        }
        if (reviewedAt.isBefore(EARLIEST_REVIEW)) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid("reviewedAt", "must not be before " + EARLIEST_REVIEW));
        }
        return visible(itemId, callerId, admin).chain(item -> {
            if (item.lastReview != null && reviewedAt.isBefore(item.lastReview)) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                409,
                                "review-out-of-order",
                                "Review out of order",
                                "reviewedAt " + reviewedAt + " is before the item's last review at " + item.lastReview,
                                List.of(new Problem.FieldError(
                                        "reviewedAt", "must not be before the item's last review"))));
            }
            // Flush inside the transaction so a concurrent review's version conflict surfaces here, as a 409.
            return settings.scheduling(item.userId)
                    .chain(s -> Uni.createFrom()
                            .item(apply(item, Fsrs.Rating.fromCode(request.rating()), reviewedAt, s, now))
                            .invoke(log -> log.durationMs = request.durationMs())
                            .call(logs::persist)
                            .call(items::flush)
                            .call(log -> xapi.answered(item.userId, item.id, item.front, log.rating, reviewedAt))
                            .map(log -> view(item, s.parameters())));
        });
    }

    private static ReviewLog apply(
            ReviewItem item, Fsrs.Rating rating, Instant reviewedAt, Fsrs.Settings settings, Instant now) {
        Fsrs.Card before = item.card();
        // Seeded by the item and its review count: replaying the same history gives the same fuzzed schedule.
        long seed = item.id.getMostSignificantBits() ^ item.id.getLeastSignificantBits() ^ (31L * item.reps);
        Fsrs.Outcome outcome = new Fsrs(settings).review(before, rating, reviewedAt, seed);
        Fsrs.Card after = outcome.card();
        item.state = after.state().code();
        item.step = after.step();
        item.stability = after.stability();
        item.difficulty = after.difficulty();
        item.due = after.due().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        item.lastReview = reviewedAt;
        item.reps++;
        if (rating == Fsrs.Rating.AGAIN && before.state() == Fsrs.State.REVIEW) {
            item.lapses++;
        }
        item.updatedAt = now;
        ReviewLog log = new ReviewLog();
        log.id = Ids.newId();
        log.itemId = item.id;
        log.userId = item.userId;
        log.rating = rating.name().toLowerCase();
        log.reviewedAt = reviewedAt;
        log.elapsedDays = (int) outcome.elapsedDays();
        log.scheduledDays = (int) outcome.scheduledDays();
        log.stateBefore = before.state().code();
        log.stateAfter = item.state;
        log.stabilityAfter = item.stability;
        log.difficultyAfter = item.difficulty;
        log.dueAfter = item.due;
        log.createdAt = now;
        return log;
    }

    /** Everything of spaced repetition the user owns, for the GDPR export. Call inside a session. */
    public Uni<Object> export(UUID userId) {
        return settings.scheduling(userId)
                .chain(s -> items.ofUser(userId)
                        .chain(list -> logs.ofUser(userId).map(history -> {
                            java.util.Map<String, Object> section = new java.util.LinkedHashMap<>();
                            section.put(
                                    "items",
                                    list.stream()
                                            .map(i -> view(i, s.parameters()))
                                            .toList());
                            section.put(
                                    "reviews",
                                    history.stream()
                                            .map(l -> java.util.Map.of(
                                                    "itemId",
                                                    l.itemId,
                                                    "rating",
                                                    l.rating,
                                                    "reviewedAt",
                                                    l.reviewedAt,
                                                    "scheduledDays",
                                                    l.scheduledDays,
                                                    "stateAfter",
                                                    l.stateAfter))
                                            .toList());
                            return section;
                        }))
                        .chain(section -> settings.settings(userId).map(mine -> {
                            section.put("settings", mine);
                            return (Object) section;
                        })));
    }

    /** The user who owns the item, or null if there is none. */
    @WithSession
    public Uni<UUID> owner(UUID itemId) {
        return items.findById(itemId).map(item -> item == null ? null : item.userId);
    }

    private Uni<ReviewItem> visible(UUID itemId, UUID callerId, boolean admin) {
        return items.visibleTo(itemId, callerId, admin)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no review item " + itemId));
    }

    /**
     * An item as the API shows it, with its retrievability now under the learner's weights (the decay of their
     * forgetting curve, w20); the due queue answers items the same way.
     */
    static ReviewItemView view(ReviewItem i, double[] weights) {
        double r = i.lastReview == null || i.stability == null
                ? 0
                : Fsrs.forgettingCurve(weights, Math.max(0, Fsrs.wholeDays(i.lastReview, Instant.now())), i.stability);
        return new ReviewItemView(
                i.id,
                i.outcomeId,
                i.chapterId,
                i.sectionNumber,
                i.front,
                i.back,
                i.state,
                i.step,
                i.stability,
                i.difficulty,
                i.due,
                i.lastReview,
                i.reps,
                i.lapses,
                Math.round(r * 10000) / 10000.0,
                i.createdAt,
                i.updatedAt);
    }
}
