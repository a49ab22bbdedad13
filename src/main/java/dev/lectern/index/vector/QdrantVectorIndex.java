package dev.lectern.index.vector;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.matchValues;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchParams;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The serving index in Qdrant, over the official gRPC client. One collection holds every chunk: the point id is the
 * chunk id (a UUID is a valid Qdrant point id, so re-upserting a chunk overwrites it), the payload holds what search
 * filters on, each field with a payload index.
 *
 * <p>The collection records the vector space it holds: the dimension in its vector parameters and the embedding
 * model in the collection metadata (key {@value #MODEL_KEY}, a Qdrant 1.16 feature). {@link #ensure} compares both
 * and answers {@code false} on any difference, including a collection without the model key (created by hand or by
 * a Qdrant older than 1.16, which drops the metadata): its vectors cannot be vouched for, so it is rebuilt.
 *
 * <p>Every call is asynchronous, bounded by the configured timeout, and completes on the caller's Vert.x context.
 * Unreachable Qdrant (gRPC {@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, connection failures) surfaces as
 * {@link VectorIndexUnavailableException}; anything else (a wrong API key, a bad request) stays the error it is.
 */
public final class QdrantVectorIndex implements VectorIndex, AutoCloseable {

    /** Collection metadata key holding the embedding model of the stored vectors. */
    public static final String MODEL_KEY = "lectern_embedding_model";

    public static final String CHUNK_ID = "chunk_id";
    public static final String BOOK_ID = "book_id";
    public static final String CHAPTER_ID = "chapter_id";
    public static final String SECTION_NUMBER = "section_number";
    public static final String DIFFICULTY = "difficulty";
    public static final String LANGUAGE = "language";
    public static final String OUTCOME_CODES = "outcome_codes";

    /** Payload indexes: what search filters on. UUIDs are matched as keywords, like every other string. */
    static final Map<String, PayloadSchemaType> PAYLOAD_INDEXES = Map.of(
            BOOK_ID,
            PayloadSchemaType.Keyword,
            CHAPTER_ID,
            PayloadSchemaType.Keyword,
            DIFFICULTY,
            PayloadSchemaType.Keyword,
            LANGUAGE,
            PayloadSchemaType.Keyword,
            OUTCOME_CODES,
            PayloadSchemaType.Keyword,
            SECTION_NUMBER,
            PayloadSchemaType.Integer);

    /** Points per upsert request: 256 × 384 floats is about 400 KB, far below gRPC's message limits. */
    static final int UPSERT_BATCH = 256;

    static final int DEFAULT_GRPC_PORT = 6334;

    private static final Logger LOG = Logger.getLogger(QdrantVectorIndex.class);
    /** The gRPC deadline is the real bound; this backstop only catches a call that never reaches the deadline. */
    private static final Duration BACKSTOP_GRACE = Duration.ofSeconds(1);
    /** How long a call waits for the connection attempt it started on a failing channel (see reconnectIfFailing). */
    static final Duration RECONNECT_GRACE = Duration.ofMillis(250);

    private final QdrantClient client;
    private final String collection;
    private final Duration timeout;

    public QdrantVectorIndex(QdrantClient client, String collection, Duration timeout) {
        this.client = client;
        this.collection = collection;
        this.timeout = timeout;
    }

    /**
     * Connects to Qdrant's gRPC endpoint, e.g. {@code http://localhost:6334} or {@code https://xyz.cloud.qdrant.io:6334}
     * (TLS). The client's version check is off: it is a blocking call at construction that only logs a warning.
     */
    public static QdrantVectorIndex connect(String url, Optional<String> apiKey, String collection, Duration timeout) {
        Endpoint endpoint = Endpoint.parse(url);
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(
                        endpoint.host(), endpoint.port(), endpoint.tls(), false)
                .withTimeout(timeout);
        apiKey.filter(key -> !key.isBlank()).ifPresent(grpc::withApiKey);
        LOG.infof("vector index: Qdrant at %s, collection %s", endpoint, collection);
        return new QdrantVectorIndex(new QdrantClient(grpc.build()), collection, timeout);
    }

    public String collection() {
        return collection;
    }

    @Override
    public String kind() {
        return "qdrant";
    }

    @Override
    public Uni<Boolean> ensure(String model, int dimension) {
        return exists().chain(
                        exists -> exists ? Uni.createFrom().voidItem() : createRacingOtherReplicas(model, dimension))
                .chain(() -> call(() -> client.getCollectionInfoAsync(collection, timeout)))
                .map(info -> holds(info, model, dimension))
                .call(matches ->
                        matches ? createPayloadIndexes() : Uni.createFrom().voidItem());
    }

    @Override
    public Uni<Void> recreate(String model, int dimension) {
        return exists().chain(exists -> exists
                        ? call(() -> client.deleteCollectionAsync(collection, timeout))
                                .replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .chain(() -> create(model, dimension))
                .chain(this::createPayloadIndexes);
    }

    @Override
    public Uni<Void> upsert(List<VectorPoint> points) {
        if (points.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One batch after another: a failure stops the rest, and the caller retries the whole (idempotent) upsert.
        return Multi.createFrom()
                .range(0, (points.size() + UPSERT_BATCH - 1) / UPSERT_BATCH)
                .map(batch ->
                        points
                                .subList(batch * UPSERT_BATCH, Math.min(points.size(), (batch + 1) * UPSERT_BATCH))
                                .stream()
                                .map(QdrantVectorIndex::toPoint)
                                .toList())
                .onItem()
                .transformToUniAndConcatenate(batch -> call(() -> client.upsertAsync(collection, batch, timeout)))
                .collect()
                .last()
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<PointId> pointIds = ids.stream().map(PointIdFactory::id).toList();
        return call(() -> client.deleteAsync(collection, pointIds, timeout)).replaceWithVoid();
    }

    /** Upsert, then one filtered delete: the chapter's points whose ids are not among the new ones. */
    @Override
    public Uni<Void> replaceChapter(UUID chapterId, List<VectorPoint> points) {
        Filter.Builder stale = Filter.newBuilder().addMust(matchKeyword(CHAPTER_ID, chapterId.toString()));
        if (!points.isEmpty()) {
            stale.addMustNot(ConditionFactory.hasId(
                    points.stream().map(p -> PointIdFactory.id(p.id())).toList()));
        }
        return upsert(points)
                .chain(() -> call(() -> client.deleteAsync(collection, stale.build(), timeout)))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<VectorHit>> search(float[] query, int limit, VectorFilter filter) {
        if (limit <= 0) {
            return Uni.createFrom().item(List.of());
        }
        QueryPoints.Builder request = QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(QueryFactory.nearest(query))
                .setLimit(limit)
                .setWithPayload(WithPayloadSelectorFactory.enable(false));
        toFilter(filter).ifPresent(request::setFilter);
        return call(() -> client.queryAsync(request.build(), timeout))
                .map(points -> points.stream().map(QdrantVectorIndex::toHit).toList());
    }

    /**
     * A query restricted to the points by id, scored exactly (no HNSW walk, which could miss some of them), limited to
     * as many points as asked for: one round trip for the lot.
     */
    @Override
    public Uni<Map<UUID, Double>> similarities(float[] query, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<PointId> pointIds = ids.stream().distinct().map(PointIdFactory::id).toList();
        QueryPoints request = QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(QueryFactory.nearest(query))
                .setFilter(Filter.newBuilder().addMust(ConditionFactory.hasId(pointIds)))
                .setParams(SearchParams.newBuilder().setExact(true))
                .setLimit(pointIds.size())
                .setWithPayload(WithPayloadSelectorFactory.enable(false))
                .build();
        return call(() -> client.queryAsync(request, timeout)).map(points -> {
            Map<UUID, Double> out = HashMap.newHashMap(points.size());
            points.forEach(p -> out.put(UUID.fromString(p.getId().getUuid()), (double) p.getScore()));
            return out;
        });
    }

    @Override
    public Uni<Long> count() {
        return call(() -> client.countAsync(collection, null, true, timeout));
    }

    /** Qdrant's health check (which Qdrant answers without an API key): any failure means not reachable. */
    @Override
    public Uni<Boolean> isReachable() {
        return call(() -> client.healthCheckAsync(timeout))
                .replaceWith(true)
                .onFailure()
                .invoke(e -> LOG.debugf("Qdrant health check failed: %s", e.getMessage()))
                .onFailure()
                .recoverWithItem(false);
    }

    @Override
    public void close() {
        client.close();
    }

    // --- collection

    private Uni<Boolean> exists() {
        return call(() -> client.collectionExistsAsync(collection, timeout));
    }

    /** Every replica may run ensure() at start; if another one created the collection first, that is fine. */
    private Uni<Void> createRacingOtherReplicas(String model, int dimension) {
        return create(model, dimension)
                .onFailure(e -> !(e instanceof VectorIndexUnavailableException))
                .recoverWithUni(e -> exists().map(exists -> {
                    if (!exists) {
                        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                    }
                    return null;
                }));
    }

    private Uni<Void> create(String model, int dimension) {
        CreateCollection request = CreateCollection.newBuilder()
                .setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder()
                        .setParams(VectorParams.newBuilder().setSize(dimension).setDistance(Distance.Cosine)))
                .putMetadata(MODEL_KEY, ValueFactory.value(model))
                .build();
        return call(() -> client.createCollectionAsync(request, timeout))
                .invoke(() ->
                        LOG.infof("created Qdrant collection %s for %s (%d dimensions)", collection, model, dimension))
                .replaceWithVoid();
    }

    /** Idempotent in Qdrant; run on every ensure() so an interrupted creation is completed. */
    private Uni<Void> createPayloadIndexes() {
        return Multi.createFrom()
                .iterable(PAYLOAD_INDEXES.entrySet())
                .onItem()
                .transformToUniAndConcatenate(index -> call(() -> client.createPayloadIndexAsync(
                        collection, index.getKey(), index.getValue(), null, true, null, timeout)))
                .collect()
                .last()
                .replaceWithVoid();
    }

    private boolean holds(CollectionInfo info, String model, int dimension) {
        VectorsConfig vectors = info.getConfig().getParams().getVectorsConfig();
        Value storedModel = info.getConfig().getMetadataMap().get(MODEL_KEY);
        boolean matches = vectors.hasParams()
                && vectors.getParams().getSize() == dimension
                && vectors.getParams().getDistance() == Distance.Cosine
                && storedModel != null
                && storedModel.hasStringValue()
                && storedModel.getStringValue().equals(model);
        if (!matches) {
            LOG.warnf(
                    "Qdrant collection %s holds %s vectors of %d dimensions (%s), not %s of %d: it must be rebuilt",
                    collection,
                    storedModel == null ? "unknown-model" : storedModel.getStringValue(),
                    vectors.getParams().getSize(),
                    vectors.getParams().getDistance(),
                    model,
                    dimension);
        }
        return matches;
    }

    // --- points

    static PointStruct toPoint(VectorPoint point) {
        Map<String, Value> payload = new HashMap<>();
        payload.put(CHUNK_ID, ValueFactory.value(point.id().toString()));
        payload.put(SECTION_NUMBER, ValueFactory.value(point.sectionNumber()));
        putIfPresent(payload, BOOK_ID, point.bookId());
        putIfPresent(payload, CHAPTER_ID, point.chapterId());
        putIfPresent(payload, DIFFICULTY, point.difficulty());
        putIfPresent(payload, LANGUAGE, point.language());
        List<String> outcomes = point.outcomeCodes() == null ? List.of() : point.outcomeCodes();
        payload.put(
                OUTCOME_CODES,
                ValueFactory.list(outcomes.stream().map(ValueFactory::value).toList()));
        return PointStruct.newBuilder()
                .setId(PointIdFactory.id(point.id()))
                .setVectors(VectorsFactory.vectors(point.vector()))
                .putAllPayload(payload)
                .build();
    }

    private static void putIfPresent(Map<String, Value> payload, String key, Object value) {
        if (value != null) {
            payload.put(key, ValueFactory.value(value.toString()));
        }
    }

    /** {@link VectorFilter} as Qdrant must-conditions: one per non-empty field, a list matching any of its values. */
    static Optional<Filter> toFilter(VectorFilter filter) {
        if (filter == null) {
            return Optional.empty();
        }
        List<Condition> must = new ArrayList<>();
        if (filter.bookId() != null) {
            must.add(matchKeyword(BOOK_ID, filter.bookId().toString()));
        }
        if (present(filter.chapterIds())) {
            must.add(matchKeywords(
                    CHAPTER_ID, filter.chapterIds().stream().map(UUID::toString).toList()));
        }
        if (present(filter.sectionNumbers())) {
            must.add(matchValues(
                    SECTION_NUMBER,
                    filter.sectionNumbers().stream().map(Integer::longValue).toList()));
        }
        if (present(filter.difficulties())) {
            must.add(matchKeywords(DIFFICULTY, filter.difficulties()));
        }
        if (present(filter.languages())) {
            must.add(matchKeywords(LANGUAGE, filter.languages()));
        }
        if (present(filter.outcomeCodes())) {
            must.add(matchKeywords(OUTCOME_CODES, filter.outcomeCodes()));
        }
        return must.isEmpty()
                ? Optional.empty()
                : Optional.of(Filter.newBuilder().addAllMust(must).build());
    }

    private static boolean present(List<?> values) {
        return values != null && !values.isEmpty();
    }

    private static VectorHit toHit(ScoredPoint point) {
        return new VectorHit(UUID.fromString(point.getId().getUuid()), point.getScore());
    }

    // --- calls

    /**
     * Issues the request on subscription and completes on the subscriber's Vert.x context (if any), so callers can
     * continue with Hibernate Reactive; gRPC would otherwise complete on its own threads.
     */
    private <T> Uni<T> call(Supplier<ListenableFuture<T>> request) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            Uni<T> response = reconnectIfFailing()
                    .chain(() -> send(request))
                    .ifNoItem()
                    .after(timeout.plus(BACKSTOP_GRACE))
                    .failWith(
                            () -> new VectorIndexUnavailableException("Qdrant did not answer within " + timeout, null));
            return caller == null ? response : response.emitOn(task -> caller.runOnContext(ignored -> task.run()));
        });
    }

    private static <T> Uni<T> send(Supplier<ListenableFuture<T>> request) {
        return Uni.createFrom().emitter(emitter -> {
            ListenableFuture<T> future = request.get();
            emitter.onTermination(() -> future.cancel(true));
            Futures.addCallback(
                    future,
                    new FutureCallback<>() {
                        @Override
                        public void onSuccess(T result) {
                            emitter.complete(result);
                        }

                        @Override
                        public void onFailure(Throwable failure) {
                            emitter.fail(translate(failure));
                        }
                    },
                    MoreExecutors.directExecutor());
        });
    }

    /**
     * After a failed connection gRPC waits out an exponential backoff (up to two minutes) and, until a connection
     * succeeds, fails every call at once without touching the network. Callers already pace their retries (outbox
     * backoff, readiness period), so a call made while the channel is failing starts a connection attempt itself and
     * gives it a moment: Qdrant coming back is noticed by the next call, and a call during an outage still fails
     * within {@link #RECONNECT_GRACE}.
     */
    private Uni<Void> reconnectIfFailing() {
        ManagedChannel channel = client.grpcClient().channel();
        if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
            return Uni.createFrom().voidItem();
        }
        Duration grace = timeout.compareTo(RECONNECT_GRACE) < 0 ? timeout : RECONNECT_GRACE;
        return Uni.createFrom()
                .<Void>emitter(emitter -> {
                    channel.notifyWhenStateChanged(ConnectivityState.TRANSIENT_FAILURE, () -> emitter.complete(null));
                    channel.resetConnectBackoff();
                })
                .ifNoItem()
                .after(grace)
                .recoverWithItem((Void) null);
    }

    /** Maps "cannot reach Qdrant" to {@link VectorIndexUnavailableException}; other failures are returned as is. */
    static Throwable translate(Throwable failure) {
        if (failure instanceof VectorIndexUnavailableException) {
            return failure;
        }
        Status.Code code = Status.fromThrowable(failure).getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return new VectorIndexUnavailableException("Qdrant unavailable: " + Status.fromThrowable(failure), failure);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketException
                    || cause instanceof UnknownHostException
                    || cause instanceof ClosedChannelException
                    || cause instanceof UnresolvedAddressException) {
                return new VectorIndexUnavailableException("Qdrant unreachable: " + cause, failure);
            }
        }
        return failure;
    }

    /** Where Qdrant's gRPC endpoint is; {@code https} means TLS, the port defaults to 6334. */
    record Endpoint(String host, int port, boolean tls) {

        static Endpoint parse(String url) {
            String trimmed = url.strip();
            URI uri = URI.create(trimmed.contains("://") ? trimmed : "http://" + trimmed);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("QDRANT_URL must look like http(s)://host[:port], got " + url);
            }
            int port = uri.getPort() == -1 ? DEFAULT_GRPC_PORT : uri.getPort();
            if (port == 6333) {
                LOG.warnf("QDRANT_URL uses port 6333, Qdrant's REST port; this client speaks gRPC (usually 6334)");
            }
            return new Endpoint(uri.getHost(), port, "https".equals(uri.getScheme()));
        }

        @Override
        public String toString() {
            return (tls ? "https://" : "http://") + host + ":" + port;
        }
    }
}
