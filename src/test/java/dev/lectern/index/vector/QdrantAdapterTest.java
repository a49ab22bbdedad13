package dev.lectern.index.vector;

import static dev.lectern.index.vector.VectorIndexContract.DIM;
import static dev.lectern.index.vector.VectorIndexContract.MODEL;
import static dev.lectern.index.vector.VectorIndexContract.await;
import static dev.lectern.index.vector.VectorIndexContract.point;
import static dev.lectern.index.vector.VectorIndexContract.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.FieldType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Qdrant-only behaviour, always against the in-test {@link FakeQdrantServer}: collection setup, auth, outages. */
class QdrantAdapterTest {

    private static final String KEY = "secret-key";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A call that cannot reach Qdrant must fail within its timeout; this only allows for a slow CI machine. */
    private static final Duration NO_HANG = TIMEOUT.plusSeconds(3);

    private FakeQdrantServer fake;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startFake() {
        fake = FakeQdrantServer.start(KEY);
        closeables.add(fake);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    private QdrantVectorIndex index(Optional<String> apiKey) {
        QdrantVectorIndex index = QdrantVectorIndex.connect(fake.url(), apiKey, "chunks", TIMEOUT);
        closeables.add(index);
        return index;
    }

    private QdrantClient admin() {
        QdrantClient client = new QdrantClient(QdrantGrpcClient.newBuilder("127.0.0.1", fake.port(), false, false)
                .withApiKey(KEY)
                .build());
        closeables.add(client);
        return client;
    }

    private static <T> T awaitNoHang(Uni<T> uni) {
        return uni.await().atMost(NO_HANG);
    }

    @Test
    void ensureCreatesACosineCollectionWithPayloadIndexesAndTheModelInItsMetadata() throws Exception {
        QdrantVectorIndex index = index(Optional.of(KEY));

        assertThat(await(index.ensure(MODEL, DIM))).isTrue();

        CollectionInfo info = admin().getCollectionInfoAsync("chunks").get(5, TimeUnit.SECONDS);
        VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
        assertThat(params.getSize()).isEqualTo(DIM);
        assertThat(params.getDistance()).isEqualTo(Distance.Cosine);
        assertThat(info.getConfig()
                        .getMetadataMap()
                        .get(QdrantVectorIndex.MODEL_KEY)
                        .getStringValue())
                .isEqualTo(MODEL);
        assertThat(fake.payloadIndexes("chunks"))
                .isEqualTo(Map.of(
                        "book_id",
                        FieldType.FieldTypeKeyword,
                        "chapter_id",
                        FieldType.FieldTypeKeyword,
                        "difficulty",
                        FieldType.FieldTypeKeyword,
                        "language",
                        FieldType.FieldTypeKeyword,
                        "outcome_codes",
                        FieldType.FieldTypeKeyword,
                        "section_number",
                        FieldType.FieldTypeInteger));
    }

    @Test
    void aCollectionWithoutTheModelInItsMetadataMustBeRebuilt() throws Exception {
        admin().createCollectionAsync(
                        "chunks",
                        VectorParams.newBuilder()
                                .setSize(DIM)
                                .setDistance(Distance.Cosine)
                                .build())
                .get(5, TimeUnit.SECONDS);

        QdrantVectorIndex index = index(Optional.of(KEY));
        assertThat(await(index.ensure(MODEL, DIM))).isFalse();
        assertThat(fake.payloadIndexes("chunks"))
                .as("a collection it does not hold is left alone")
                .isEmpty();

        await(index.recreate(MODEL, DIM));

        assertThat(fake.payloadIndexes("chunks")).hasSize(6);
        assertThat(await(index.ensure(MODEL, DIM))).isTrue();
    }

    @Test
    void aCollectionCreatedByAnotherReplicaMeanwhileIsAccepted() {
        QdrantVectorIndex other = index(Optional.of(KEY));
        fake.beforeNextCreate(() -> await(other.recreate(MODEL, DIM)));

        assertThat(await(index(Optional.of(KEY)).ensure(MODEL, DIM))).isTrue();
        assertThat(fake.payloadIndexes("chunks")).hasSize(6);
    }

    @Test
    void pointsCarryTheirChunkIdAsPointIdAndInThePayload() {
        UUID id = UUID.randomUUID();
        var point = QdrantVectorIndex.toPoint(point(id, v(1, 0, 0, 0)));

        assertThat(point.getId().getUuid()).isEqualTo(id.toString());
        assertThat(point.getPayloadMap().get("chunk_id").getStringValue()).isEqualTo(id.toString());
        assertThat(point.getPayloadMap().get("section_number").getIntegerValue())
                .isEqualTo(1);
        assertThat(point.getPayloadMap()
                        .get("outcome_codes")
                        .getListValue()
                        .getValues(0)
                        .getStringValue())
                .isEqualTo("LO-1");
    }

    @Test
    void aMissingOrWrongApiKeyIsRejectedAsAnErrorNotAnOutage() {
        for (Optional<String> key : List.of(Optional.<String>empty(), Optional.of("wrong-key"))) {
            QdrantVectorIndex index = index(key);

            assertThatThrownBy(() -> awaitNoHang(index.ensure(MODEL, DIM)))
                    .isNotInstanceOf(VectorIndexUnavailableException.class)
                    .satisfies(
                            e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> awaitNoHang(index.search(v(1, 0, 0, 0), 3, VectorFilter.NONE)))
                    .satisfies(
                            e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            // Qdrant answers its health check without a key: the server is there, the key is what is wrong.
            assertThat(awaitNoHang(index.isReachable())).isTrue();
        }
        assertThat(await(index(Optional.of(KEY)).ensure(MODEL, DIM))).isTrue();
    }

    @Test
    void whileQdrantIsDownCallsFailFastAsUnavailableAndWorkAgainAfterItIsBack() {
        QdrantVectorIndex index = index(Optional.of(KEY));
        await(index.ensure(MODEL, DIM));
        UUID id = UUID.randomUUID();
        await(index.upsert(List.of(point(id, v(1, 0, 0, 0)))));

        fake.stop();

        List<Uni<?>> calls = List.of(
                index.search(v(1, 0, 0, 0), 3, VectorFilter.NONE),
                index.upsert(List.of(point(UUID.randomUUID(), v(0, 1, 0, 0)))),
                index.delete(List.of(id)),
                index.count(),
                index.ensure(MODEL, DIM),
                index.recreate(MODEL, DIM));
        for (Uni<?> call : calls) {
            assertThatThrownBy(() -> awaitNoHang(call)).isInstanceOf(VectorIndexUnavailableException.class);
        }
        assertThat(awaitNoHang(index.isReachable())).isFalse();

        fake.start();

        // The very next call notices: gRPC's reconnect backoff does not keep the index down.
        assertThat(await(index.search(v(1, 0, 0, 0), 3, VectorFilter.NONE)))
                .extracting(VectorHit::id)
                .containsExactly(id);
        assertThat(await(index.count())).isEqualTo(1);
        assertThat(awaitNoHang(index.isReachable())).isTrue();
    }

    @Test
    void aServerThatNeverAnswersRunsIntoTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            QdrantVectorIndex index = QdrantVectorIndex.connect(
                    "http://127.0.0.1:" + silent.getLocalPort(), Optional.empty(), "chunks", Duration.ofMillis(300));
            closeables.add(index);

            assertThatThrownBy(() -> awaitNoHang(index.count()))
                    .isInstanceOf(VectorIndexUnavailableException.class)
                    .satisfies(
                            e -> assertThat(Status.fromThrowable(e.getCause()).getCode())
                                    .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            assertThat(awaitNoHang(index.isReachable())).isFalse();
            silent.close();
            acceptor.join(5_000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void callsCompleteOnTheCallersVertxContext() throws Exception {
        QdrantVectorIndex index = index(Optional.of(KEY));
        await(index.ensure(MODEL, DIM));
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<String> eventLoop = new CompletableFuture<>();
            CompletableFuture<String> completedOn = new CompletableFuture<>();
            vertx.runOnContext(ignored -> {
                eventLoop.complete(Thread.currentThread().getName());
                index.count()
                        .subscribe()
                        .with(
                                n -> completedOn.complete(Thread.currentThread().getName()),
                                completedOn::completeExceptionally);
            });
            assertThat(completedOn.get(10, TimeUnit.SECONDS)).isEqualTo(eventLoop.get());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theUrlNamesHostPortAndTls() {
        assertThat(QdrantVectorIndex.Endpoint.parse("http://localhost:6334"))
                .isEqualTo(new QdrantVectorIndex.Endpoint("localhost", 6334, false));
        assertThat(QdrantVectorIndex.Endpoint.parse("https://xyz.cloud.qdrant.io:6334"))
                .isEqualTo(new QdrantVectorIndex.Endpoint("xyz.cloud.qdrant.io", 6334, true));
        assertThat(QdrantVectorIndex.Endpoint.parse(" https://xyz.cloud.qdrant.io/ "))
                .isEqualTo(new QdrantVectorIndex.Endpoint("xyz.cloud.qdrant.io", 6334, true));
        assertThat(QdrantVectorIndex.Endpoint.parse("qdrant:7334"))
                .isEqualTo(new QdrantVectorIndex.Endpoint("qdrant", 7334, false));
        assertThatThrownBy(() -> QdrantVectorIndex.Endpoint.parse("ftp://qdrant:6334"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdrantVectorIndex.Endpoint.parse("http://"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
