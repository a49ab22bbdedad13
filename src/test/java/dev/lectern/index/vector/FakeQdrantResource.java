package dev.lectern.index.vector;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link FakeQdrantServer} and points the application's vector index at it. */
public class FakeQdrantResource implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "quarkus-test-key";
    private FakeQdrantServer fake;

    @Override
    public Map<String, String> start() {
        fake = FakeQdrantServer.start(API_KEY);
        return Map.of(
                "lectern.qdrant.url",
                fake.url(),
                "lectern.qdrant.api-key",
                API_KEY,
                "lectern.qdrant.collection",
                "lectern_quarkus_test",
                // The test owns the collection (its own model and dimension): no outbox work may recreate it meanwhile.
                "lectern.index.worker-enabled",
                "false");
    }

    @Override
    public void stop() {
        fake.close();
    }
}
