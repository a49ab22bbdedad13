package dev.lectern.progress.study;

import dev.lectern.platform.ProblemException;
import dev.lectern.progress.study.SessionViews.HeartbeatRequest;
import dev.lectern.progress.study.SessionViews.SessionView;
import dev.lectern.progress.study.SessionViews.StartRequest;
import dev.lectern.progress.study.SessionViews.StatsView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Learning sessions and the learner's stats.
 *
 * <p>Active time is counted from heartbeats: each heartbeat adds the time since the previous one, capped at
 * {@link #MAX_GAP_SECONDS}, so a tab left open overnight does not count as study.
 */
@ApplicationScoped
public class SessionService {

    /** A gap between heartbeats longer than this counts as this much activity at most (idle or closed tab). */
    static final int MAX_GAP_SECONDS = 300;

    static final int STREAK_LOOKBACK_DAYS = 400;

    private final SessionStore store;

    public SessionService(SessionStore store) {
        this.store = store;
    }

    /** Starts a session, on a chapter the caller may read when one is given. */
    public Uni<SessionView> start(UUID userId, StartRequest request, boolean drafts) {
        UUID chapterId = request == null ? null : request.chapterId();
        return store.start(userId, chapterId, drafts)
                .map(started -> started.orElseThrow(() -> ProblemException.invalid("chapterId", "names no chapter")));
    }

    public Uni<SessionView> heartbeat(
            UUID sessionId, UUID callerId, boolean admin, HeartbeatRequest request, boolean end) {
        int reviewed = request == null || request.itemsReviewed() == null ? 0 : request.itemsReviewed();
        int generated = request == null || request.contentGenerated() == null ? 0 : request.contentGenerated();
        return store.heartbeat(sessionId, callerId, admin, reviewed, generated, MAX_GAP_SECONDS, end)
                .map(beat -> {
                    if (!beat.found()) {
                        throw ProblemException.notFound("no session " + sessionId);
                    }
                    if (beat.session() == null) {
                        throw new ProblemException(
                                409, "session-ended", "Session ended", "session " + sessionId + " has ended", null);
                    }
                    return beat.session();
                });
    }

    /** The user whose session it is, or null if there is none. */
    public Uni<UUID> owner(UUID sessionId) {
        return store.owner(sessionId);
    }

    public Uni<StatsView> stats(UUID userId) {
        return store.activity(userId, STREAK_LOOKBACK_DAYS)
                .map(a -> new StatsView(
                        streak(a.days(), LocalDate.now(ZoneOffset.UTC)),
                        a.weekSeconds() / 60,
                        a.reviews(),
                        a.weekReviews(),
                        a.completed()));
    }

    /** The user's sessions, for the GDPR export. */
    public Uni<List<Map<String, Object>>> export(UUID userId) {
        return store.export(userId);
    }

    /** Consecutive days ending today, or yesterday when today has no activity yet; days are sorted newest first. */
    static int streak(LocalDate[] days, LocalDate today) {
        if (days == null || days.length == 0) {
            return 0;
        }
        LocalDate expected = days[0].equals(today) ? today : today.minusDays(1);
        int streak = 0;
        for (LocalDate day : days) {
            if (!day.equals(expected)) {
                break;
            }
            streak++;
            expected = expected.minusDays(1);
        }
        return streak;
    }
}
