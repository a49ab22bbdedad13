package dev.lectern.progress.review;

import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.catalogue.curriculum.FrameworkService;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Page;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import dev.lectern.progress.review.ReviewViews.CreateReviewItemRequest;
import dev.lectern.progress.review.ReviewViews.MasteryLevel;
import dev.lectern.progress.review.ReviewViews.MasteryReport;
import dev.lectern.progress.review.ReviewViews.MasteryView;
import dev.lectern.progress.review.ReviewViews.ReviewItemView;
import dev.lectern.progress.review.ReviewViews.ReviewRequest;
import dev.lectern.progress.review.ReviewViews.ReviewSettingsView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Spaced repetition: review items scheduled with FSRS-6 ({@link Fsrs}), the append-only review log, the due queue and
 * outcome mastery.
 *
 * <p>Mastery thresholds, from the mean current retrievability R of an outcome's reviewed items:
 * <ul>
 * <li>{@code not_started}: no reviewed item;</li>
 * <li>{@code developing}: R &lt; 0.70;</li>
 * <li>{@code consolidating}: 0.70 &le; R &lt; 0.90, or R &ge; 0.90 while some item's stability is under 21 days;</li>
 * <li>{@code secure}: R &ge; 0.90 and every reviewed item's stability is at least 21 days (memory that lasts weeks).</li>
 * </ul>
 */
@ApplicationScoped
public class ReviewService {

    static final double DEVELOPING_BELOW = 0.70;
    static final double SECURE_FROM = 0.90;
    static final double SECURE_MIN_STABILITY_DAYS = 21;
    /** Client clocks drift; a review this far in the future is still "now". */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Retrievability for views uses the default parameters; Fsrs is immutable. */
    private static final Fsrs DEFAULT_FSRS = new Fsrs(Fsrs.Settings.defaults());

    private static final String MASTERY = """
            SELECT f.code AS framework, o.code, o.description, s.code AS subject,
                   count(ri.id) AS items,
                   count(ri.id) FILTER (WHERE ri.last_review IS NOT NULL) AS reviewed,
                   avg(power(1 + $4 * floor(extract(epoch FROM (now() - ri.last_review)) / 86400) / ri.stability, $5))
                       FILTER (WHERE ri.last_review IS NOT NULL) AS retrievability,
                   min(ri.stability) FILTER (WHERE ri.last_review IS NOT NULL) AS min_stability
            FROM curriculum_frameworks f
            LEFT JOIN outcomes o ON o.framework_id = f.id
            LEFT JOIN subjects s ON s.id = o.subject_id
            LEFT JOIN review_items ri ON ri.outcome_id = o.id AND ri.user_id = $1
            WHERE f.code = $2 AND ($3::text IS NULL OR s.code = $3)
            GROUP BY f.code, o.id, o.code, o.description, s.code
            ORDER BY o.code""";

    private final ReviewRepositories.Items items;
    private final ReviewRepositories.Logs logs;
    private final ReviewRepositories.Settings settings;
    private final FrameworkService frameworks;
    private final ChapterService chapters;
    private final Pool pool;
    private final boolean fuzz;

    public ReviewService(
            ReviewRepositories.Items items,
            ReviewRepositories.Logs logs,
            ReviewRepositories.Settings settings,
            FrameworkService frameworks,
            ChapterService chapters,
            Pool pool,
            @ConfigProperty(name = "lectern.reviews.fuzz", defaultValue = "true") boolean fuzz) {
        this.items = items;
        this.logs = logs;
        this.settings = settings;
        this.frameworks = frameworks;
        this.chapters = chapters;
        this.pool = pool;
        this.fuzz = fuzz;
    }

    @UncancellableTransaction
    public Uni<ReviewItemView> create(UUID userId, CreateReviewItemRequest request) {
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
        Uni<Boolean> chapter =
                request.chapterId() == null ? Uni.createFrom().item(true) : chapters.visible(request.chapterId(), true);
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
            return items.persist(item).map(this::view);
        }));
    }

    @WithSession
    public Uni<ReviewItemView> get(UUID itemId, UUID callerId, boolean admin) {
        return visible(itemId, callerId, admin).map(this::view);
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
        return visible(itemId, callerId, admin)
                .chain(item -> {
                    if (item.lastReview != null && reviewedAt.isBefore(item.lastReview)) {
                        return Uni.createFrom()
                                .failure(new ProblemException(
                                        409,
                                        "review-out-of-order",
                                        "Review out of order",
                                        "reviewedAt " + reviewedAt + " is before the item's last review at "
                                                + item.lastReview,
                                        List.of(new Problem.FieldError(
                                                "reviewedAt", "must not be before the item's last review"))));
                    }
                    // Flush inside the transaction so a concurrent review's version conflict surfaces here, as a 409.
                    return settingsOf(item.userId)
                            .map(s -> apply(item, Fsrs.Rating.fromCode(request.rating()), reviewedAt, s, now))
                            .call(logs::persist)
                            .call(items::flush)
                            .replaceWith(item);
                })
                .map(this::view);
    }

    private ReviewLog apply(
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

    /**
     * Items due by {@code before} (default now), in due order, keyset-paginated: a range scan of the (user_id, due, id)
     * index. The hottest read of a study session, so it runs on the reactive client directly: loading the page as
     * managed entities cost about a third of the request's CPU (a JFR profile under bench/progress.sh).
     */
    public Uni<Page<ReviewItemView>> due(UUID userId, Instant before, int limit, String cursor) {
        Instant afterDue = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, "due", 2);
            try {
                afterDue = Instant.parse(key.get(0));
            } catch (java.time.format.DateTimeParseException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this list produced");
            }
            afterId = Cursor.uuidKey(key.get(1));
        }
        Instant until = before == null ? Timestamps.now() : before;
        Uni<RowSet<Row>> rows = afterDue == null
                ? pool.preparedQuery(DUE_FIRST).execute(Tuple.of(userId, offset(until), limit + 1))
                : pool.preparedQuery(DUE_AFTER)
                        .execute(Tuple.tuple(List.of(userId, offset(until), offset(afterDue), afterId, limit + 1)));
        return rows.map(page -> {
            List<ReviewItem> found = new ArrayList<>(page.size());
            page.forEach(r -> found.add(item(r)));
            return Page.of(found, limit, this::view, i -> Cursor.encode("due", i.due, i.id));
        });
    }

    private static final String DUE_COLUMNS = """
            SELECT id, outcome_id, chapter_id, section_number, front, back, state, step, stability, difficulty, due, last_review,
                   reps, lapses, version, created_at, updated_at
              FROM review_items""";
    private static final String DUE_FIRST = DUE_COLUMNS + " WHERE user_id = $1 AND due <= $2 ORDER BY due, id LIMIT $3";
    private static final String DUE_AFTER =
            DUE_COLUMNS + " WHERE user_id = $1 AND due <= $2 AND (due, id) > ($3, $4) ORDER BY due, id LIMIT $5";

    private static OffsetDateTime offset(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A row as the (unmanaged) entity the view and the cursor are built from. */
    private static ReviewItem item(Row r) {
        ReviewItem i = new ReviewItem();
        i.id = r.getUUID("id");
        i.outcomeId = r.getUUID("outcome_id");
        i.chapterId = r.getUUID("chapter_id");
        i.sectionNumber = r.getInteger("section_number");
        i.front = r.getString("front");
        i.back = r.getString("back");
        i.state = r.getString("state");
        i.step = r.getInteger("step");
        i.stability = r.getDouble("stability");
        i.difficulty = r.getDouble("difficulty");
        i.due = instant(r, "due");
        i.lastReview = instant(r, "last_review");
        i.reps = r.getInteger("reps");
        i.lapses = r.getInteger("lapses");
        i.version = r.getLong("version");
        i.createdAt = instant(r, "created_at");
        i.updatedAt = instant(r, "updated_at");
        return i;
    }

    /** Mastery per outcome of a framework (optionally one subject), from the current retrievability of the learner's items: one query. */
    public Uni<MasteryReport> mastery(UUID userId, String framework, String subject) {
        Fsrs.Settings defaults = Fsrs.Settings.defaults();
        double decay = -defaults.parameters()[20];
        double factor = Math.pow(0.9, 1 / decay) - 1;
        return pool.preparedQuery(MASTERY)
                .execute(Tuple.of(userId, framework, subject, factor, decay))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.notFound("no framework '" + framework + "'");
                    }
                    List<MasteryView> outcomes = new ArrayList<>();
                    for (Row r : rows) {
                        if (r.getString("code") != null) {
                            outcomes.add(masteryOf(r));
                        }
                    }
                    return new MasteryReport(framework, subject, outcomes);
                });
    }

    private static MasteryView masteryOf(Row r) {
        int reviewed = r.getLong("reviewed").intValue();
        Double retrievability = r.getDouble("retrievability");
        Double minStability = r.getDouble("min_stability");
        MasteryLevel level;
        if (reviewed == 0 || retrievability == null) {
            level = MasteryLevel.not_started;
        } else if (retrievability < DEVELOPING_BELOW) {
            level = MasteryLevel.developing;
        } else if (retrievability < SECURE_FROM || minStability < SECURE_MIN_STABILITY_DAYS) {
            level = MasteryLevel.consolidating;
        } else {
            level = MasteryLevel.secure;
        }
        return new MasteryView(
                r.getString("code"),
                r.getString("description"),
                r.getString("subject"),
                level,
                retrievability == null ? null : Math.round(retrievability * 1000) / 1000.0,
                r.getLong("items").intValue(),
                reviewed);
    }

    /** What {@link #createCards} did: every card's review item id, and how many of them it created now. */
    public record CreatedCards(List<UUID> ids, int created) {}

    /**
     * One review item per card, due now, in one statement. Idempotent: a card's item id is derived from the set and
     * the card (its position and text), so repeating the call creates nothing twice and answers the same ids. A card
     * whose item the learner deleted gets it back, fresh.
     */
    public Uni<CreatedCards> createCards(
            UUID setId, UUID userId, List<String[]> cards, UUID chapterId, UUID outcomeId) {
        UUID[] ids = new UUID[cards.size()];
        String[] fronts = new String[cards.size()];
        String[] backs = new String[cards.size()];
        for (int i = 0; i < cards.size(); i++) {
            fronts[i] = cards.get(i)[0];
            backs[i] = cards.get(i)[1];
            ids[i] = UUID.nameUUIDFromBytes(String.join(
                            "\u0000",
                            "flashcard",
                            setId.toString(),
                            Integer.toString(i),
                            fronts[i],
                            backs[i] == null ? "" : backs[i])
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return pool.preparedQuery("""
                INSERT INTO review_items (id, user_id, chapter_id, outcome_id, front, back, state, step, due)
                SELECT c.id, $1, $2, $3, c.front, c.back, 'learning', 0, now()
                FROM unnest($4::uuid[], $5::text[], $6::text[]) AS c(id, front, back)
                ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.tuple()
                        .addUUID(userId)
                        .addUUID(chapterId)
                        .addUUID(outcomeId)
                        .addArrayOfUUID(ids)
                        .addArrayOfString(fronts)
                        .addArrayOfString(backs))
                .map(rows -> new CreatedCards(List.of(ids), rows.rowCount()));
    }

    @WithSession
    public Uni<ReviewSettingsView> settings(UUID userId) {
        return settingsOf(userId).map(s -> new ReviewSettingsView(s.desiredRetention(), s.maximumIntervalDays()));
    }

    @UncancellableTransaction
    public Uni<ReviewSettingsView> updateSettings(UUID userId, ReviewSettingsView request) {
        Instant now = Timestamps.now();
        return settings.findById(userId)
                .chain(existing -> {
                    ReviewSettings s = existing;
                    Uni<ReviewSettings> saved = Uni.createFrom().item(existing);
                    if (s == null) {
                        s = new ReviewSettings();
                        s.userId = userId;
                        s.createdAt = now;
                        saved = settings.persist(s);
                    }
                    s.desiredRetention = request.desiredRetention();
                    s.maximumIntervalDays = request.maximumIntervalDays();
                    s.updatedAt = now;
                    return saved;
                })
                .map(s -> new ReviewSettingsView(s.desiredRetention, s.maximumIntervalDays));
    }

    /** Everything of spaced repetition the user owns, for the GDPR export. Call inside a session. */
    public Uni<Object> export(UUID userId) {
        return items.ofUser(userId)
                .chain(list -> logs.ofUser(userId).map(history -> {
                    java.util.Map<String, Object> section = new java.util.LinkedHashMap<>();
                    section.put("items", list.stream().map(this::view).toList());
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
                }));
    }

    private Uni<Fsrs.Settings> settingsOf(UUID userId) {
        return settings.findById(userId).map(s -> {
            Fsrs.Settings base = Fsrs.Settings.defaults().withFuzz(fuzz);
            return s == null
                    ? base
                    : base.withDesiredRetention(s.desiredRetention).withMaximumInterval(s.maximumIntervalDays);
        });
    }

    private Uni<ReviewItem> visible(UUID itemId, UUID callerId, boolean admin) {
        return items.visibleTo(itemId, callerId, admin)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no review item " + itemId));
    }

    private ReviewItemView view(ReviewItem i) {
        double r = i.lastReview == null ? 0 : DEFAULT_FSRS.retrievability(i.card(), Instant.now());
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
