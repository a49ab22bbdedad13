package dev.lectern.index.vector;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the application at a {@link FakeQdrantServer} that a test can stop and start (an outage), with the scheduled
 * outbox worker off so the test drives the drains itself.
 */
public class VectorIndexOutageResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FakeQdrantServer server;

    public static Outage server() {
        return new Outage();
    }

    /** Stop and start the fake Qdrant (same port, data kept) from a test in another package. */
    public static final class Outage {
        public void stop() {
            server.stop();
        }

        public void start() {
            server.start();
        }
    }

    @Override
    public Map<String, String> start() {
        server = FakeQdrantServer.start(FakeQdrantResource.API_KEY);
        return Map.of(
                "lectern.qdrant.url",
                server.url(),
                "lectern.qdrant.api-key",
                FakeQdrantResource.API_KEY,
                "lectern.qdrant.collection",
                "lectern_outage_test",
                "lectern.index.worker-enabled",
                "false",
                "lectern.qdrant.timeout",
                "2s");
    }

    @Override
    public void stop() {
        server.close();
    }
}
