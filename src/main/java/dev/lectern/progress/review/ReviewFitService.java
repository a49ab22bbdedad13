package dev.lectern.progress.review;

import dev.lectern.platform.BackgroundRuns;
import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import dev.lectern.progress.review.ReviewFitStore.FitRow;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Fits a learner's FSRS weights to their review log ({@link FsrsOptimizer}) as a background job: the request queues it
 * and answers 202, the replica that accepted it runs it on a worker thread (never on the event loop), writes its
 * progress as a heartbeat, and on success makes the fitted weights the learner's own. Below
 * {@code lectern.reviews.fit-minimum-reviews} reviews the job succeeds with outcome {@code kept}: the weights stay.
 */
@ApplicationScoped
public class ReviewFitService {

    private static final Logger LOG = Logger.getLogger(ReviewFitService.class);
    /** A queued or running fit whose heartbeat is older than this was abandoned by its replica. */
    private static final Duration STALE = Duration.ofMinutes(2);

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    @Schema(name = "ReviewFitJob")
    public record FitJobView(
            UUID id,

            @Schema(enumeration = {"queued", "running", "succeeded", "failed"})
            String status,

            @Schema(
                    description = "fitted: the weights are now the learner's own; kept: too few reviews, the weights"
                            + " stay (message says why)",
                    enumeration = {"fitted", "kept"},
                    nullable = true)
            String outcome,

            @Schema(description = "Reviews in the log the fit read")
            int reviews,

            @Schema(description = "Fraction done, 0-1") double progress,

            @Schema(description = "Log-loss of the weights in use before, on the learner's reviews", nullable = true)
            Double logLossBefore,

            @Schema(description = "Log-loss of the fitted weights on the same reviews", nullable = true)
            Double logLossAfter,

            @Schema(description = "RMSE(bins) before, as the FSRS benchmark measures it", nullable = true)
            Double rmseBinsBefore,

            @Schema(description = "RMSE(bins) of the fitted weights", nullable = true)
            Double rmseBinsAfter,

            @Schema(description = "The fitted weights w0..w20 (outcome fitted)", nullable = true)
            List<Double> weights,

            String message,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt) {

        public boolean finished() {
            return "succeeded".equals(status) || "failed".equals(status);
        }
    }

    private final ReviewFitStore store;
    private final ReviewSettingsService settings;
    private final ReviewsConfig config;
    private final Vertx vertx;
    private final BackgroundRuns runs = new BackgroundRuns();

    public ReviewFitService(ReviewFitStore store, ReviewSettingsService settings, ReviewsConfig config, Vertx vertx) {
        this.store = store;
        this.settings = settings;
        this.config = config;
        this.vertx = vertx;
    }

    /** Queues a fit for the learner; 409 while another of theirs is queued or running. */
    public Uni<FitJobView> queue(UUID userId) {
        UUID id = Ids.newId();
        return store.queueUnlessActive(id, userId, STALE)
                .invoke(active -> {
                    if (active != null) {
                        throw ProblemException.conflict(
                                "fit " + active + " of this learner's weights is still running");
                    }
                })
                .chain(() -> find(id, userId, false));
    }

    /** Starts a queued fit in the background of this replica. */
    public void start(UUID id, UUID userId) {
        run(id, userId)
                .subscribe()
                .with(
                        view -> LOG.debugf("weight fit %s %s", id, view == null ? "gone" : view.status()),
                        e -> LOG.warnf("weight fit %s could not record its end: %s", id, e.toString()));
    }

    /** Runs a queued fit to its end: read the log, fit on a worker thread, save the weights, record the outcome. */
    Uni<FitJobView> run(UUID id, UUID userId) {
        AtomicReference<Double> progress = new AtomicReference<>(0.0);
        return runs.track(() -> settings.weights(userId)
                        .chain(current -> store.log(userId, config.fitMaxReviews())
                                .call(log -> store.started(
                                        id, log.stream().mapToInt(List::size).sum()))
                                .chain(log -> withHeartbeat(id, progress, fit(log, current.weights(), progress))))
                        .chain(result -> save(id, userId, result))
                        .onFailure()
                        .recoverWithUni(e -> store.failed(id, failure(e))))
                .chain(() -> find(id, userId, false));
    }

    private Uni<FsrsOptimizer.Result> fit(
            List<List<FsrsOptimizer.Review>> log, double[] start, AtomicReference<Double> progress) {
        FsrsOptimizer optimizer = new FsrsOptimizer(FsrsOptimizer.Config.defaults()
                .withMinimumReviews(config.fitMinimumReviews())
                .withRelearningSteps(Fsrs.Settings.defaults().relearningSteps().size()));
        return vertx.executeBlocking(
                Uni.createFrom().item(() -> optimizer.fit(log, start, progress::set, runs::stopping)), false);
    }

    /** Writes the fit's progress every second while it runs, so other replicas see it and it never looks abandoned. */
    private <T> Uni<T> withHeartbeat(UUID id, AtomicReference<Double> progress, Uni<T> work) {
        var ticks = Multi.createFrom()
                .ticks()
                .every(HEARTBEAT)
                .onItem()
                .transformToUniAndConcatenate(
                        t -> store.progress(id, progress.get()).onFailure().recoverWithNull())
                .subscribe()
                .with(v -> {});
        return work.onTermination().invoke(ticks::cancel);
    }

    private Uni<Void> save(UUID id, UUID userId, FsrsOptimizer.Result result) {
        if (result.kind() == FsrsOptimizer.Kind.KEPT) {
            return store.succeeded(id, result, "kept");
        }
        return settings.saveFitted(userId, result.weights()).chain(() -> store.succeeded(id, result, "fitted"));
    }

    private static String failure(Throwable e) {
        return e instanceof CancellationException ? "stopped: the service shut down" : e.toString();
    }

    /** The fit, if it is the caller's (or the caller is an admin); null otherwise. */
    public Uni<FitJobView> find(UUID id, UUID callerId, boolean admin) {
        return store.find(id)
                .map(row -> row == null
                                || !(admin || callerId == null || row.userId().equals(callerId))
                        ? null
                        : view(row));
    }

    /** Running fits stop at their next step (their jobs fail with "stopped"), before the pool closes. */
    void onShutdown(@Observes ShutdownEvent event) {
        runs.stopAndAwait(Duration.ofSeconds(10), LOG, "a weight fit was still running at shutdown");
    }

    private static FitJobView view(FitRow r) {
        return new FitJobView(
                r.id(),
                r.status(),
                r.outcome(),
                r.reviews(),
                r.progress(),
                r.logLossBefore(),
                r.logLossAfter(),
                r.rmseBinsBefore(),
                r.rmseBinsAfter(),
                r.weights() == null ? null : Arrays.asList(r.weights()),
                r.message(),
                r.createdAt(),
                r.startedAt(),
                r.finishedAt());
    }
}
