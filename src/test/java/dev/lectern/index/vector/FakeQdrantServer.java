package dev.lectern.index.vector;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * An in-test Qdrant: the subset of Qdrant's gRPC services the adapter uses, on the generated service bases shipped in
 * {@code io.qdrant:client}, on a loopback port. Semantics follow Qdrant's: exact cosine over vectors normalised at
 * upsert, filter evaluation for keyword/integer matches (a list payload matches if any element does), NOT_FOUND for a
 * missing collection, ALREADY_EXISTS on a second create, and the {@code api-key} header required on every call but
 * the health check (which Qdrant answers unauthenticated too).
 *
 * <p>{@link #stop()} and {@link #start()} take it off and back on the same port; its collections survive, like a
 * restarted Qdrant's storage.
 */
final class FakeQdrantServer implements AutoCloseable {

    static final String VERSION = "1.16.2";
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final String apiKey;
    private final Map<String, FakeCollection> collections = new ConcurrentHashMap<>();
    private volatile Runnable beforeNextCreate;
    private int port;
    private Server server;

    private FakeQdrantServer(String apiKey) {
        this.apiKey = apiKey;
    }

    /** Starts on a free loopback port; calls must carry {@code apiKey} (null: no authentication). */
    static FakeQdrantServer start(String apiKey) {
        FakeQdrantServer fake = new FakeQdrantServer(apiKey);
        fake.start();
        return fake;
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        ServerInterceptor auth = new ApiKeyCheck();
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                    .addService(new Qdrant())
                    .addService(ServerInterceptors.intercept(new Collections(), auth))
                    .addService(ServerInterceptors.intercept(new Points(), auth))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("fake Qdrant could not listen on port " + port, e);
        }
        port = server.getPort();
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Runs {@code action} inside the next create-collection call, before it looks: another client got there first. */
    void beforeNextCreate(Runnable action) {
        beforeNextCreate = action;
    }

    /** The payload indexes created in a collection (field → type), for assertions. */
    Map<String, FieldType> payloadIndexes(String collection) {
        return Map.copyOf(existing(collection).indexes);
    }

    private FakeCollection existing(String name) {
        FakeCollection collection = collections.get(name);
        if (collection == null) {
            throw Status.NOT_FOUND
                    .withDescription("Not found: Collection `" + name + "` doesn't exist!")
                    .asRuntimeException();
        }
        return collection;
    }

    /** Runs a handler, answering its result or its StatusRuntimeException, the way a tonic service does. */
    private static <T> void answer(StreamObserver<T> observer, Supplier<T> handler) {
        T response;
        try {
            response = handler.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT
                .withDescription("Wrong input: " + message)
                .asRuntimeException();
    }

    private static StatusRuntimeException unsupported(String what) {
        return Status.UNIMPLEMENTED
                .withDescription("fake Qdrant does not implement " + what)
                .asRuntimeException();
    }

    private final class ApiKeyCheck implements ServerInterceptor {

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
                ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (apiKey != null && !apiKey.equals(headers.get(API_KEY))) {
                call.close(
                        Status.UNAUTHENTICATED.withDescription(
                                "Must provide an API key or an Authorization bearer token"),
                        new Metadata());
                return new ServerCall.Listener<>() {};
            }
            return next.startCall(call, headers);
        }
    }

    private static final class Qdrant extends QdrantGrpc.QdrantImplBase {

        @Override
        public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
            answer(
                    observer,
                    () -> HealthCheckReply.newBuilder()
                            .setTitle("fake qdrant")
                            .setVersion(VERSION)
                            .build());
        }
    }

    private final class Collections extends CollectionsGrpc.CollectionsImplBase {

        @Override
        public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
            answer(observer, () -> {
                if (!request.getVectorsConfig().hasParams()
                        || request.getVectorsConfig().getParams().getSize() == 0) {
                    throw invalid("fake Qdrant needs a single unnamed dense vector with a size");
                }
                Runnable action = beforeNextCreate;
                beforeNextCreate = null;
                if (action != null) {
                    action.run();
                }
                FakeCollection created = new FakeCollection(request);
                if (collections.putIfAbsent(request.getCollectionName(), created) != null) {
                    throw Status.ALREADY_EXISTS
                            .withDescription(
                                    "Wrong input: Collection `" + request.getCollectionName() + "` already exists!")
                            .asRuntimeException();
                }
                return CollectionOperationResponse.newBuilder().setResult(true).build();
            });
        }

        @Override
        public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
            answer(
                    observer,
                    () -> GetCollectionInfoResponse.newBuilder()
                            .setResult(existing(request.getCollectionName()).info())
                            .build());
        }

        @Override
        public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> observer) {
            answer(
                    observer,
                    () -> ListCollectionsResponse.newBuilder()
                            .addAllCollections(collections.keySet().stream()
                                    .sorted()
                                    .map(name -> CollectionDescription.newBuilder()
                                            .setName(name)
                                            .build())
                                    .toList())
                            .build());
        }

        @Override
        public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> observer) {
            answer(
                    observer,
                    () -> CollectionOperationResponse.newBuilder()
                            .setResult(collections.remove(request.getCollectionName()) != null)
                            .build());
        }

        @Override
        public void collectionExists(
                CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> observer) {
            answer(
                    observer,
                    () -> CollectionExistsResponse.newBuilder()
                            .setResult(CollectionExists.newBuilder()
                                    .setExists(collections.containsKey(request.getCollectionName())))
                            .build());
        }
    }

    private final class Points extends PointsGrpc.PointsImplBase {

        @Override
        public void createFieldIndex(
                CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
            answer(observer, () -> existing(request.getCollectionName()).index(request));
        }

        @Override
        public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
            answer(observer, () -> existing(request.getCollectionName()).upsert(request.getPointsList()));
        }

        @Override
        public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
            answer(observer, () -> {
                if (request.getPoints().hasFilter()) {
                    return existing(request.getCollectionName())
                            .delete(request.getPoints().getFilter());
                }
                return existing(request.getCollectionName())
                        .delete(request.getPoints().getPoints().getIdsList());
            });
        }

        @Override
        public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
            answer(observer, () -> existing(request.getCollectionName()).query(request));
        }

        @Override
        public void count(CountPoints request, StreamObserver<CountResponse> observer) {
            answer(observer, () -> existing(request.getCollectionName()).count(request));
        }
    }

    /** One collection: its creation request (vector params, metadata), payload indexes and points. */
    private static final class FakeCollection {

        private final CreateCollection definition;
        private final int dimension;
        private final Map<String, FieldType> indexes = new ConcurrentHashMap<>();
        private final Map<PointId, StoredPoint> points = new LinkedHashMap<>();
        /** Queries share the read lock (a single monitor made 16 concurrent searches queue behind each other). */
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

        private volatile long operations;

        FakeCollection(CreateCollection definition) {
            this.definition = definition;
            this.dimension = (int) definition.getVectorsConfig().getParams().getSize();
        }

        CollectionInfo info() {
            lock.readLock().lock();
            try {
                CollectionInfo.Builder info = CollectionInfo.newBuilder()
                        .setStatus(CollectionStatus.Green)
                        .setPointsCount(points.size())
                        .setConfig(CollectionConfig.newBuilder()
                                .setParams(CollectionParams.newBuilder()
                                        .setShardNumber(1)
                                        .setVectorsConfig(definition.getVectorsConfig()))
                                .putAllMetadata(definition.getMetadataMap()));
                indexes.forEach((field, type) -> info.putPayloadSchema(
                        field,
                        PayloadSchemaInfo.newBuilder()
                                .setDataType(
                                        type == FieldType.FieldTypeInteger
                                                ? PayloadSchemaType.Integer
                                                : PayloadSchemaType.Keyword)
                                .build()));
                return info.build();
            } finally {
                lock.readLock().unlock();
            }
        }

        PointsOperationResponse index(CreateFieldIndexCollection request) {
            lock.writeLock().lock();
            try {
                if (request.getFieldType() != FieldType.FieldTypeKeyword
                        && request.getFieldType() != FieldType.FieldTypeInteger) {
                    throw unsupported("field index type " + request.getFieldType());
                }
                // Re-creating an index with the same type is accepted, as in Qdrant.
                indexes.put(request.getFieldName(), request.getFieldType());
                return completed();
            } finally {
                lock.writeLock().unlock();
            }
        }

        PointsOperationResponse upsert(List<PointStruct> batch) {
            lock.writeLock().lock();
            try {
                // Validate everything first: Qdrant rejects the whole request on a bad point.
                List<StoredPoint> stored = batch.stream().map(this::stored).toList();
                for (int i = 0; i < batch.size(); i++) {
                    points.put(batch.get(i).getId(), stored.get(i));
                }
                return completed();
            } finally {
                lock.writeLock().unlock();
            }
        }

        private StoredPoint stored(PointStruct point) {
            if (!point.getId().hasUuid() && !point.getId().hasNum()) {
                throw invalid("point id is missing");
            }
            if (!point.getVectors().hasVector()) {
                throw invalid("fake Qdrant only stores a single unnamed vector");
            }
            Vector vector = point.getVectors().getVector();
            List<Float> values = vector.hasDense() ? vector.getDense().getDataList() : vector.getDataList();
            return new StoredPoint(normalised(values), Map.copyOf(point.getPayloadMap()));
        }

        PointsOperationResponse delete(List<PointId> ids) {
            lock.writeLock().lock();
            try {
                ids.forEach(points::remove);
                return completed();
            } finally {
                lock.writeLock().unlock();
            }
        }

        PointsOperationResponse delete(Filter filter) {
            lock.writeLock().lock();
            try {
                matching(filter).map(Map.Entry::getKey).toList().forEach(points::remove);
                return completed();
            } finally {
                lock.writeLock().unlock();
            }
        }

        /** An exact scan keeping the best {@code limit} in a heap; protobuf hits are built for those only. */
        QueryResponse query(QueryPoints request) {
            if (request.getPrefetchCount() > 0
                    || !request.getQuery().hasNearest()
                    || !request.getQuery().getNearest().hasDense()) {
                throw unsupported("queries other than nearest to a dense vector");
            }
            float[] query =
                    normalised(request.getQuery().getNearest().getDense().getDataList());
            boolean withPayload = request.getWithPayload().getEnable();
            int limit = (int) (request.hasLimit() ? request.getLimit() : 10);
            Filter filter = request.hasFilter() ? request.getFilter() : null;
            PriorityQueue<Candidate> best = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score));
            lock.readLock().lock();
            try {
                for (Map.Entry<PointId, StoredPoint> entry : points.entrySet()) {
                    StoredPoint point = entry.getValue();
                    if (limit <= 0 || filter != null && !matches(filter, entry.getKey(), point.payload())) {
                        continue;
                    }
                    float score = InProcessVectorIndex.dot(point.vector(), 0, query, dimension);
                    if (best.size() < limit) {
                        best.add(new Candidate(entry.getKey(), point, score));
                    } else if (score > best.peek().score()) {
                        best.poll();
                        best.add(new Candidate(entry.getKey(), point, score));
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
            List<ScoredPoint> result = best.stream()
                    .sorted(Comparator.comparingDouble(Candidate::score).reversed())
                    .map(c -> {
                        ScoredPoint.Builder scored = ScoredPoint.newBuilder()
                                .setId(c.id())
                                .setScore(c.score())
                                .setVersion(operations);
                        if (withPayload) {
                            scored.putAllPayload(c.point().payload());
                        }
                        return scored.build();
                    })
                    .toList();
            return QueryResponse.newBuilder().addAllResult(result).build();
        }

        CountResponse count(CountPoints request) {
            lock.readLock().lock();
            try {
                long count = matching(request.hasFilter() ? request.getFilter() : null)
                        .count();
                return CountResponse.newBuilder()
                        .setResult(CountResult.newBuilder().setCount(count))
                        .build();
            } finally {
                lock.readLock().unlock();
            }
        }

        private Stream<Map.Entry<PointId, StoredPoint>> matching(Filter filter) {
            return new ArrayList<>(points.entrySet())
                    .stream()
                            .filter(entry -> filter == null
                                    || matches(
                                            filter,
                                            entry.getKey(),
                                            entry.getValue().payload()));
        }

        private PointsOperationResponse completed() {
            return PointsOperationResponse.newBuilder()
                    .setResult(UpdateResult.newBuilder()
                            .setOperationId(++operations)
                            .setStatus(UpdateStatus.Completed))
                    .build();
        }

        private float[] normalised(List<Float> values) {
            if (values.size() != dimension) {
                throw invalid("Vector dimension error: expected dim: " + dimension + ", got " + values.size());
            }
            double squares = 0;
            for (float x : values) {
                squares += (double) x * x;
            }
            double scale = squares == 0 ? 0 : 1 / Math.sqrt(squares);
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) (values.get(i) * scale);
            }
            return vector;
        }
    }

    private record StoredPoint(float[] vector, Map<String, Value> payload) {}

    private record Candidate(PointId id, StoredPoint point, float score) {}

    // --- filters, as Qdrant evaluates them

    static boolean matches(Filter filter, PointId id, Map<String, Value> payload) {
        return filter.getMustList().stream().allMatch(c -> matches(c, id, payload))
                && (filter.getShouldCount() == 0
                        || filter.getShouldList().stream().anyMatch(c -> matches(c, id, payload)))
                && filter.getMustNotList().stream().noneMatch(c -> matches(c, id, payload));
    }

    private static boolean matches(Condition condition, PointId id, Map<String, Value> payload) {
        return switch (condition.getConditionOneOfCase()) {
            case FIELD -> matches(condition.getField(), payload);
            case FILTER -> matches(condition.getFilter(), id, payload);
            case HAS_ID -> condition.getHasId().getHasIdList().contains(id);
            default -> throw unsupported("condition " + condition.getConditionOneOfCase());
        };
    }

    private static boolean matches(FieldCondition condition, Map<String, Value> payload) {
        if (!condition.hasMatch()) {
            throw unsupported("field conditions other than match");
        }
        Value value = payload.get(condition.getKey());
        if (value == null) {
            return false;
        }
        List<Value> values = value.hasListValue() ? value.getListValue().getValuesList() : List.of(value);
        Match match = condition.getMatch();
        return values.stream().anyMatch(v -> switch (match.getMatchValueCase()) {
            case KEYWORD -> v.hasStringValue() && v.getStringValue().equals(match.getKeyword());
            case KEYWORDS ->
                v.hasStringValue() && match.getKeywords().getStringsList().contains(v.getStringValue());
            case INTEGER -> v.hasIntegerValue() && v.getIntegerValue() == match.getInteger();
            case INTEGERS ->
                v.hasIntegerValue() && match.getIntegers().getIntegersList().contains(v.getIntegerValue());
            default -> throw unsupported("match " + match.getMatchValueCase());
        });
    }
}
