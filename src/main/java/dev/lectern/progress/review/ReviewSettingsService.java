package dev.lectern.progress.review;

import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import dev.lectern.progress.review.ReviewViews.ReviewSettingsView;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** A learner's FSRS settings (desired retention, maximum interval), and the scheduler settings reviews run with. */
@ApplicationScoped
public class ReviewSettingsService {

    private final ReviewRepositories.Settings settings;
    private final ReviewsConfig config;

    public ReviewSettingsService(ReviewRepositories.Settings settings, ReviewsConfig config) {
        this.settings = settings;
        this.config = config;
    }

    @WithSession
    public Uni<ReviewSettingsView> settings(UUID userId) {
        return scheduling(userId).map(s -> new ReviewSettingsView(s.desiredRetention(), s.maximumIntervalDays()));
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

    /** The scheduler settings for the learner's reviews: theirs over the defaults, fuzz as configured. Call inside a session. */
    Uni<Fsrs.Settings> scheduling(UUID userId) {
        return settings.findById(userId).map(s -> {
            Fsrs.Settings base = Fsrs.Settings.defaults().withFuzz(config.fuzz());
            return s == null
                    ? base
                    : base.withDesiredRetention(s.desiredRetention).withMaximumInterval(s.maximumIntervalDays);
        });
    }
}
