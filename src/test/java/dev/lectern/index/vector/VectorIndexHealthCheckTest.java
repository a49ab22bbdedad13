package dev.lectern.index.vector;

import static dev.lectern.index.vector.VectorIndexContract.DIM;
import static dev.lectern.index.vector.VectorIndexContract.MODEL;
import static dev.lectern.index.vector.VectorIndexContract.await;
import static dev.lectern.index.vector.VectorIndexContract.point;
import static dev.lectern.index.vector.VectorIndexContract.v;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VectorIndexHealthCheckTest {

    private FakeQdrantServer fake;
    private QdrantVectorIndex qdrant;

    @BeforeEach
    void startQdrant() {
        fake = FakeQdrantServer.start(null);
        qdrant = QdrantVectorIndex.connect(fake.url(), Optional.empty(), "chunks", Duration.ofSeconds(2));
    }

    @AfterEach
    void stopQdrant() {
        qdrant.close();
        fake.close();
    }

    private static HealthCheckResponse check(VectorIndex index, boolean readinessRequired) {
        return await(new VectorIndexHealthCheck(index, readinessRequired).call());
    }

    @Test
    void reportsKindReachabilityAndPoints() {
        InProcessVectorIndex inProcess = new InProcessVectorIndex();
        await(inProcess.ensure(MODEL, DIM));
        await(inProcess.upsert(List.of(point(UUID.randomUUID(), v(1, 0, 0, 0)))));
        await(qdrant.ensure(MODEL, DIM));

        HealthCheckResponse embedded = check(inProcess, false);
        HealthCheckResponse remote = check(qdrant, true);

        assertThat(embedded.getName()).isEqualTo("vector-index");
        assertThat(embedded.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(embedded.getData()).contains(Map.of("kind", "in-process", "reachable", true, "points", 1L));
        assertThat(remote.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(remote.getData()).contains(Map.of("kind", "qdrant", "reachable", true, "points", 0L));
    }

    @Test
    void anUnreachableQdrantKeepsThePodReadyUnlessRequired() {
        fake.stop();

        HealthCheckResponse lenient = check(qdrant, false);
        HealthCheckResponse strict = check(qdrant, true);

        assertThat(lenient.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(lenient.getData()).contains(Map.of("kind", "qdrant", "reachable", false));
        assertThat(strict.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(strict.getData()).contains(Map.of("kind", "qdrant", "reachable", false));
    }

    @Test
    void aCollectionNotYetCreatedIsReportedWithoutFailingTheCheck() {
        HealthCheckResponse response = check(qdrant, true);

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow())
                .containsEntry("reachable", true)
                .containsKey("error")
                .doesNotContainKey("points");
    }
}
