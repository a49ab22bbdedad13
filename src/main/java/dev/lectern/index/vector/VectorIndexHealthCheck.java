package dev.lectern.index.vector;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code vector-index}: reports the index kind, whether it is reachable and how many points it holds.
 *
 * <p>It stays UP while Qdrant is unreachable unless {@code lectern.qdrant.readiness-required=true}. Qdrant is a
 * derived index: without it, content, progress, reviews and conversations still work, index changes wait in the
 * outbox and only semantic search answers 503. Taking every pod out of service because Qdrant is down would turn a
 * degraded feature into a full outage (and all replicas share the same Qdrant, so none would stay ready). Deployments
 * that serve nothing but search can opt in to DOWN.
 */
@Readiness
@ApplicationScoped
public class VectorIndexHealthCheck implements AsyncHealthCheck {

    /** Each step answers within this, so the whole check fits Kubernetes' default 1 s probe timeout. */
    static final Duration STEP_BUDGET = Duration.ofMillis(400);

    private final VectorIndex index;
    private final boolean readinessRequired;

    @Inject
    public VectorIndexHealthCheck(VectorIndex index, QdrantConfig config) {
        this(index, config.readinessRequired());
    }

    VectorIndexHealthCheck(VectorIndex index, boolean readinessRequired) {
        this.index = index;
        this.readinessRequired = readinessRequired;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return index.isReachable()
                .ifNoItem()
                .after(STEP_BUDGET)
                .recoverWithItem(false)
                .onFailure()
                .recoverWithItem(false)
                .chain(reachable -> {
                    HealthCheckResponseBuilder response = HealthCheckResponse.named("vector-index")
                            .withData("kind", index.kind())
                            .withData("reachable", reachable)
                            .status(reachable || !readinessRequired);
                    return reachable ? withPoints(response) : Uni.createFrom().item(response);
                })
                .map(HealthCheckResponseBuilder::build);
    }

    private Uni<HealthCheckResponseBuilder> withPoints(HealthCheckResponseBuilder response) {
        return index.count()
                .ifNoItem()
                .after(STEP_BUDGET)
                .fail()
                .map(points -> response.withData("points", points))
                .onFailure()
                .recoverWithItem(e -> response.withData("error", String.valueOf(e.getMessage())));
    }
}
