package dev.lectern.progress.review;

import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import dev.lectern.progress.review.ReviewViews.ReviewDefaultsView;
import dev.lectern.progress.review.ReviewViews.ReviewSettingsView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A learner's FSRS settings (desired retention, maximum interval, weights), the platform's default weights, and the
 * scheduler settings reviews run with. Weights come from the first of: the learner's own (set or fitted), the
 * platform's default, the FSRS-6 defaults.
 */
@ApplicationScoped
public class ReviewSettingsService {

    static final String LEARNER = "learner";
    static final String FITTED = "fitted";
    static final String PLATFORM = "platform";
    static final String DEFAULT = "default";

    private final ReviewRepositories.Settings settings;
    private final ReviewRepositories.Defaults defaults;
    private final ReviewsConfig config;

    public ReviewSettingsService(
            ReviewRepositories.Settings settings, ReviewRepositories.Defaults defaults, ReviewsConfig config) {
        this.settings = settings;
        this.defaults = defaults;
        this.config = config;
    }

    /** The learner's settings as they are in effect. */
    @WithSession
    public Uni<ReviewSettingsView> settings(UUID userId) {
        return settings.findById(userId).chain(this::view);
    }

    /**
     * Changes retention and maximum interval, and the weights when the request names them: 21 numbers become the
     * learner's own, {@code []} goes back to the platform's, none leaves them as they are.
     */
    @UncancellableTransaction
    public Uni<ReviewSettingsView> updateSettings(UUID userId, ReviewSettingsView request) {
        double[] weights = request.weights() == null || request.weights().isEmpty()
                ? null
                : checkedWeights(request.weights(), "weights");
        Instant now = Timestamps.now();
        return change(userId, now, s -> {
                    s.desiredRetention = request.desiredRetention();
                    s.maximumIntervalDays = request.maximumIntervalDays();
                    if (request.weights() != null) {
                        s.weights = weights;
                        s.weightsSource = weights == null ? null : LEARNER;
                    }
                })
                .chain(this::view);
    }

    /** Makes fitted weights the learner's own, keeping the rest of their settings (defaults for a learner with none). */
    @UncancellableTransaction
    public Uni<Void> saveFitted(UUID userId, double[] fitted) {
        double[] weights = Fsrs.Settings.defaults().withParameters(fitted).parameters(); // checks the bounds
        return change(userId, Timestamps.now(), s -> {
                    s.weights = weights;
                    s.weightsSource = FITTED;
                })
                .replaceWithVoid();
    }

    /** The learner's settings row (a new one with the defaults when they have none), changed; call in a transaction. */
    private Uni<ReviewSettings> change(UUID userId, Instant now, java.util.function.Consumer<ReviewSettings> edit) {
        return settings.findById(userId).chain(existing -> {
            ReviewSettings s = existing == null ? newSettings(userId, now) : existing;
            edit.accept(s);
            s.updatedAt = now;
            return existing == null ? settings.persist(s) : Uni.createFrom().item(s);
        });
    }

    /** The platform's default weights, or the FSRS-6 defaults when the admin has set none. */
    @WithSession
    public Uni<ReviewDefaultsView> platformDefaults() {
        return defaults.weights().map(ReviewSettingsService::defaultsView);
    }

    /** Sets the platform's default weights; {@code []} removes them (back to the FSRS-6 defaults). */
    @UncancellableTransaction
    public Uni<ReviewDefaultsView> updatePlatformDefaults(ReviewDefaultsView request) {
        double[] weights = request.weights().isEmpty() ? null : checkedWeights(request.weights(), "weights");
        Instant now = Timestamps.now();
        return defaults.findById(ReviewDefaults.ID)
                .chain(existing -> {
                    if (weights == null) {
                        return existing == null
                                ? Uni.createFrom().voidItem()
                                : defaults.delete(existing).replaceWithVoid();
                    }
                    ReviewDefaults d = existing;
                    Uni<ReviewDefaults> saved = Uni.createFrom().item(existing);
                    if (d == null) {
                        d = new ReviewDefaults();
                        d.id = ReviewDefaults.ID;
                        saved = defaults.persist(d);
                    }
                    d.weights = weights;
                    d.updatedAt = now;
                    return saved.replaceWithVoid();
                })
                .map(v -> defaultsView(weights));
    }

    /** The scheduler settings for the learner's reviews: theirs over the defaults, fuzz as configured. Call inside a session. */
    Uni<Fsrs.Settings> scheduling(UUID userId) {
        return settings.findById(userId)
                .chain(s -> effectiveWeights(s).map(w -> {
                    Fsrs.Settings base =
                            Fsrs.Settings.defaults().withFuzz(config.fuzz()).withParameters(w.weights());
                    return s == null
                            ? base
                            : base.withDesiredRetention(s.desiredRetention).withMaximumInterval(s.maximumIntervalDays);
                }));
    }

    /** The weights in effect for the learner and where they come from. */
    @WithSession
    public Uni<Weights> weights(UUID userId) {
        return settings.findById(userId).chain(this::effectiveWeights);
    }

    /** Weights in effect and their source: learner, fitted, platform or default. */
    public record Weights(double[] weights, String source) {}

    private Uni<Weights> effectiveWeights(ReviewSettings s) {
        if (s != null && s.weights != null) {
            return Uni.createFrom().item(new Weights(s.weights.clone(), s.weightsSource));
        }
        return defaults.weights()
                .map(platform -> platform == null
                        ? new Weights(Fsrs.defaultParameters(), DEFAULT)
                        : new Weights(platform.clone(), PLATFORM));
    }

    private Uni<ReviewSettingsView> view(ReviewSettings s) {
        Fsrs.Settings builtIn = Fsrs.Settings.defaults();
        return effectiveWeights(s)
                .map(w -> new ReviewSettingsView(
                        s == null ? builtIn.desiredRetention() : s.desiredRetention,
                        s == null ? builtIn.maximumIntervalDays() : s.maximumIntervalDays,
                        boxed(w.weights()),
                        w.source()));
    }

    private static ReviewDefaultsView defaultsView(double[] platform) {
        return platform == null
                ? new ReviewDefaultsView(boxed(Fsrs.defaultParameters()), DEFAULT)
                : new ReviewDefaultsView(boxed(platform), PLATFORM);
    }

    private static ReviewSettings newSettings(UUID userId, Instant now) {
        ReviewSettings s = new ReviewSettings();
        s.userId = userId;
        Fsrs.Settings builtIn = Fsrs.Settings.defaults();
        s.desiredRetention = builtIn.desiredRetention();
        s.maximumIntervalDays = builtIn.maximumIntervalDays();
        s.createdAt = now;
        return s;
    }

    private static List<Double> boxed(double[] weights) {
        return Arrays.stream(weights).boxed().toList();
    }

    /** 21 numbers, each within the FSRS reference bounds; a 400 naming every one that is not. */
    static double[] checkedWeights(List<Double> weights, String field) {
        if (weights.size() != Fsrs.PARAMETER_COUNT) {
            throw ProblemException.invalid(
                    field, "must hold " + Fsrs.PARAMETER_COUNT + " numbers (w0..w20), got " + weights.size());
        }
        double[] w = new double[weights.size()];
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            Double value = weights.get(i);
            String defect = value == null ? "must be a number" : Fsrs.parameterDefect(i, value);
            if (defect != null) {
                errors.add(new Problem.FieldError(field + "[" + i + "]", defect));
            } else {
                w[i] = value;
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return w;
    }
}
