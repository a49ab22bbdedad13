package dev.lectern.index.vector;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against Qdrant: the in-test {@link FakeQdrantServer}, or a real Qdrant when {@code QDRANT_URL} is set
 * (with {@code QDRANT_API_KEY} if it needs one). Each test gets its own randomly named collection, dropped afterwards.
 */
class QdrantVectorIndexTest extends VectorIndexContract {

    private static FakeQdrantServer fake;
    private static String url;
    private static Optional<String> apiKey;
    private static QdrantClient admin;

    @BeforeAll
    static void startQdrant() {
        String real = System.getenv("QDRANT_URL");
        if (real != null && !real.isBlank()) {
            url = real;
            apiKey = Optional.ofNullable(System.getenv("QDRANT_API_KEY")).filter(key -> !key.isBlank());
        } else {
            fake = FakeQdrantServer.start("contract-key");
            url = fake.url();
            apiKey = Optional.of("contract-key");
        }
        QdrantVectorIndex.Endpoint endpoint = QdrantVectorIndex.Endpoint.parse(url);
        QdrantGrpcClient.Builder grpc =
                QdrantGrpcClient.newBuilder(endpoint.host(), endpoint.port(), endpoint.tls(), false);
        apiKey.ifPresent(grpc::withApiKey);
        admin = new QdrantClient(grpc.build());
    }

    @AfterAll
    static void stopQdrant() {
        admin.close();
        if (fake != null) {
            fake.close();
        }
    }

    @Override
    protected VectorIndex newIndex() {
        String collection = "lectern_test_" + UUID.randomUUID().toString().replace("-", "");
        return QdrantVectorIndex.connect(url, apiKey, collection, Duration.ofSeconds(10));
    }

    @Override
    protected void dispose(VectorIndex index) {
        QdrantVectorIndex qdrant = (QdrantVectorIndex) index;
        try {
            if (admin.collectionExistsAsync(qdrant.collection()).get(10, TimeUnit.SECONDS)) {
                admin.deleteCollectionAsync(qdrant.collection()).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not drop test collection " + qdrant.collection(), e);
        } finally {
            qdrant.close();
        }
    }
}
