package dev.lectern.progress.review;

import dev.lectern.platform.ProblemException;
import dev.lectern.progress.review.ReviewViews.MasteryReport;
import dev.lectern.progress.review.ReviewViews.MasteryView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Outcome mastery: the level ({@link Mastery}) of each outcome of a framework from the learner's review items. */
@ApplicationScoped
public class MasteryService {

    private final MasteryStore store;
    private final ReviewSettingsService settings;

    public MasteryService(MasteryStore store, ReviewSettingsService settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * Mastery per outcome of a framework (optionally one subject), from the current retrievability of the learner's
     * items under the learner's weights (their forgetting curve's decay w20): one query after the weights.
     */
    public Uni<MasteryReport> mastery(UUID userId, String framework, String subject) {
        return settings.weights(userId)
                .chain(w -> {
                    double decay = -w.weights()[20];
                    double factor = Math.pow(0.9, 1 / decay) - 1;
                    return store.outcomes(userId, framework, subject, factor, decay);
                })
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("no framework '" + framework + "'");
                    }
                    List<MasteryView> outcomes = new ArrayList<>();
                    for (MasteryStore.OutcomeRow r : rows) {
                        if (r.code() != null) {
                            outcomes.add(view(r));
                        }
                    }
                    return new MasteryReport(framework, subject, outcomes);
                });
    }

    private static MasteryView view(MasteryStore.OutcomeRow r) {
        Double retrievability = r.retrievability();
        return new MasteryView(
                r.code(),
                r.description(),
                r.subject(),
                Mastery.level(r.reviewed(), retrievability, r.minStability()),
                retrievability == null ? null : Math.round(retrievability * 1000) / 1000.0,
                r.items(),
                r.reviewed());
    }
}
