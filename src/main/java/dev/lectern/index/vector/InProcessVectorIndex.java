package dev.lectern.index.vector;

import dev.lectern.platform.Offload;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The embedded default index: normalised vectors in slots, filtered on the payload kept beside them, searched either
 * exactly (a scan of every matching vector) or through a shortlist from one-bit codes, whichever the search's size
 * calls for:
 *
 * <ul>
 * <li><b>Exact</b> when the search would score at most {@code exactBelow} points: small indexes, and selective filters
 * (one book of many, a few chapters), where scanning the matching vectors is cheap and exactly right. Also whenever
 * the strategy is {@link Strategy#EXACT}.</li>
 * <li><b>Shortlist</b> otherwise: every slot also holds a code of one bit per dimension (the sign of the vector
 * there, 48 bytes at 384 dimensions). A search quantises the query to 4 bits per dimension and estimates its dot
 * product with each matching code from a few popcounts (asymmetric: the query keeps its magnitudes, only the stored
 * side is one bit), keeps the best {@code max(limit x shortlistPerHit, candidates / 64)} and re-scores those exactly.
 * The estimate only chooses whom to re-score, so a score never depends on it. Unlike a proximity graph, nothing is
 * built in the background, nothing depends on insertion order, and tight clusters of near-duplicates cannot trap a
 * search away from the rest of the index (docs/BENCHMARKS.md, "In-process vector search").</li>
 * </ul>
 *
 * <p>Slots are stable within a generation: an upsert with a new vector kills the old slot and appends a new one, a
 * delete kills its slot. Dead slots are never returned. When more than a quarter of the slots are dead, the live ones
 * are packed into a new generation.
 *
 * <p>Concurrency: searches share a read lock, upserts and deletes take the write lock for as long as it takes to write
 * the slots and their codes (microseconds). Nothing survives a restart: the index is rebuilt from the vectors stored
 * in Postgres, and serves every search as soon as they are loaded.
 */
public final class InProcessVectorIndex implements VectorIndex {

    private static final Logger LOG = Logger.getLogger(InProcessVectorIndex.class);

    /**
     * Work units (a float multiply-add, or half a 64-bit code word) below which a search stays on the caller's thread:
     * about a millisecond, less than it is worth keeping off the event loop; larger searches leave it.
     */
    static final long OFFLOAD_THRESHOLD = 1L << 20;

    /** A generation is packed when more than this share of its slots are dead (and at least {@link #MIN_DEAD}). */
    static final double MAX_DEAD_SHARE = 0.25;

    static final int MIN_DEAD = 64;

    /** A shortlist holds at least this share of the candidates (1/64): its recall must not fall as the index grows. */
    static final int SHORTLIST_SHARE_DIVISOR = 64;

    /**
     * Codes rank only vectors of at least this many dimensions: below it, one bit per dimension leaves too many ties
     * (16 dimensions have 65,536 codes), and a scan costs little anyway.
     */
    static final int MIN_CODED_DIMENSION = 32;

    /** {@code lectern.index.vector.search}: how searches are answered. */
    public enum Strategy {
        /** A shortlist from the codes above {@code exactBelow} candidates, a scan below (the default). */
        AUTO,
        /** Always a full scan of the matching vectors (for comparisons, or tiny deployments). */
        EXACT
    }

    /**
     * How the index searches: see {@link InProcessIndexConfig} for each value.
     *
     * @param exactBelow searches that would score at most this many points scan them
     * @param shortlistPerHit points re-scored exactly per hit asked for, at least (recall against time)
     */
    public record Tuning(Strategy strategy, int exactBelow, int shortlistPerHit) {

        public static final Tuning DEFAULT = new Tuning(Strategy.AUTO, 20_000, 25);

        public Tuning {
            if (exactBelow < 0 || shortlistPerHit < 1) {
                throw new IllegalArgumentException(String.format(
                        "invalid in-process index tuning: exactBelow %d, shortlistPerHit %d",
                        exactBelow, shortlistPerHit));
            }
        }

        public Tuning withExactBelow(int points) {
            return new Tuning(strategy, points, shortlistPerHit);
        }
    }

    private final Tuning tuning;
    /** The tuning's shortlist per hit; the benchmark compares several on one index. */
    private volatile int shortlistPerHit;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Live point id to slot, in the current generation. */
    private final Map<UUID, Integer> slots = new HashMap<>();

    private final LongAdder shortlists = new LongAdder();
    private final LongAdder scans = new LongAdder();
    private String model;
    private int dimension;
    /** The current generation; replaced under the write lock (read without it only to pick a search's thread). */
    private volatile Slab slab = new Slab(0, 0);

    public InProcessVectorIndex() {
        this(Tuning.DEFAULT);
    }

    public InProcessVectorIndex(Tuning tuning) {
        this.tuning = tuning;
        this.shortlistPerHit = tuning.shortlistPerHit();
    }

    @Override
    public String kind() {
        return "in-process";
    }

    @Override
    public Uni<Boolean> ensure(String model, int dimension) {
        return Uni.createFrom()
                .item(() -> writing(() -> {
                    if (this.model == null) {
                        reset(model, dimension);
                        return true;
                    }
                    return this.model.equals(model) && this.dimension == dimension;
                }));
    }

    @Override
    public Uni<Void> recreate(String model, int dimension) {
        return Uni.createFrom()
                .item(() -> writing(() -> {
                    reset(model, dimension);
                    return null;
                }));
    }

    @Override
    public Uni<Void> upsert(List<VectorPoint> points) {
        return Uni.createFrom()
                .item(() -> writing(() -> {
                    if (points.isEmpty()) {
                        return null;
                    }
                    if (model == null) {
                        throw new IllegalStateException(
                                "call ensure(model, dimension) before upserting into the index");
                    }
                    // Check the whole batch first, so a bad point leaves the index as it was.
                    for (VectorPoint point : points) {
                        requireDimension(point.vector());
                    }
                    points.forEach(this::put);
                    return null;
                }));
    }

    @Override
    public Uni<Void> delete(Collection<UUID> ids) {
        return Uni.createFrom()
                .item(() -> writing(() -> {
                    ids.forEach(this::remove);
                    return null;
                }));
    }

    @Override
    public Uni<Void> replaceChapter(UUID chapterId, List<VectorPoint> points) {
        return Uni.createFrom()
                .item(() -> writing(() -> {
                    for (VectorPoint point : points) {
                        requireDimension(point.vector());
                    }
                    Set<UUID> keep = new HashSet<>();
                    points.forEach(p -> keep.add(p.id()));
                    Slab s = slab;
                    List<UUID> stale = new ArrayList<>();
                    for (int i = s.live.nextSetBit(0); i >= 0; i = s.live.nextSetBit(i + 1)) {
                        if (chapterId.equals(s.payloads[i].chapterId()) && !keep.contains(s.ids[i])) {
                            stale.add(s.ids[i]);
                        }
                    }
                    stale.forEach(this::remove);
                    if (!points.isEmpty() && model == null) {
                        throw new IllegalStateException(
                                "call ensure(model, dimension) before upserting into the index");
                    }
                    points.forEach(this::put);
                    return null;
                }));
    }

    @Override
    public Uni<List<VectorHit>> search(float[] query, int limit, VectorFilter filter) {
        PayloadFilter payloadFilter = PayloadFilter.of(filter);
        Supplier<List<VectorHit>> search = () -> reading(() -> search(query, limit, payloadFilter));
        // Read without the lock: this only picks the thread, the search itself is locked.
        Slab s = slab;
        if (work(s.liveCount, limit) < OFFLOAD_THRESHOLD) {
            return Uni.createFrom().item(search);
        }
        // Milliseconds of pure CPU: keep them off the event loop.
        return Offload.toWorker(search);
    }

    /** A dot product per point on the caller's thread: tens of points cost microseconds. */
    @Override
    public Uni<Map<UUID, Double>> similarities(float[] query, Collection<UUID> ids) {
        return Uni.createFrom().item(() -> reading(() -> similaritiesOf(query, ids)));
    }

    @Override
    public Uni<Long> count() {
        return Uni.createFrom().item(() -> (long) slab.liveCount);
    }

    @Override
    public Uni<Boolean> isReachable() {
        return Uni.createFrom().item(true);
    }

    /** Searches answered from a shortlist and by a full scan so far, for tests and the benchmark. */
    long[] searchCounts() {
        return new long[] {shortlists.sum(), scans.sum()};
    }

    /** Slots in the current generation, dead ones included, for tests. */
    int slotCount() {
        return slab.size;
    }

    /** For the benchmark: another shortlist size on the same index. */
    void shortlistPerHit(int points) {
        shortlistPerHit = points;
    }

    // --- under the write lock

    private void reset(String model, int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        this.model = model;
        this.dimension = dimension;
        slots.clear();
        slab = new Slab(0, dimension);
    }

    private void put(VectorPoint point) {
        float[] vector = new float[dimension];
        normalise(point.vector(), vector, 0);
        Payload payload = Payload.of(point);
        Slab s = slab;
        Integer existing = slots.get(point.id());
        if (existing != null && Arrays.equals(s.vectors[existing], vector)) {
            // Same vector (a retried or reconciled write): only the payload changes.
            s.payloads[existing] = payload;
            return;
        }
        if (existing != null) {
            s.kill(existing);
        }
        slots.put(point.id(), s.append(point.id(), vector, payload));
    }

    private void remove(UUID id) {
        Integer slot = slots.remove(id);
        if (slot != null) {
            slab.kill(slot);
        }
    }

    /** After every write: pack a generation with too many dead slots. */
    private void maintain() {
        Slab s = slab;
        int dead = s.size - s.liveCount;
        if (dead >= MIN_DEAD && dead > s.size * MAX_DEAD_SHARE) {
            pack(s);
        }
    }

    /** A new generation holding only the live slots, in their order. */
    private void pack(Slab old) {
        Slab packed = new Slab(old.liveCount, dimension);
        slots.clear();
        for (int i = old.live.nextSetBit(0); i >= 0; i = old.live.nextSetBit(i + 1)) {
            slots.put(old.ids[i], packed.append(old.ids[i], old.vectors[i], old.payloads[i]));
        }
        slab = packed;
        LOG.debugf("in-process vector index packed: %d live of %d slots", packed.size, old.size);
    }

    // --- under the read lock

    private List<VectorHit> search(float[] query, int limit, PayloadFilter filter) {
        Slab s = slab;
        if (model == null || limit <= 0 || s.liveCount == 0) {
            return List.of();
        }
        requireDimension(query);
        float[] q = new float[dimension];
        normalise(query, q, 0);
        BitSet candidates = s.live;
        int count = s.liveCount;
        if (filter != null) {
            candidates = new BitSet(s.size);
            count = 0;
            for (int slot = s.live.nextSetBit(0); slot >= 0; slot = s.live.nextSetBit(slot + 1)) {
                if (filter.matches(s.payloads[slot])) {
                    candidates.set(slot);
                    count++;
                }
            }
            if (count == 0) {
                return List.of();
            }
        }
        if (shortlists(count, limit)) {
            return shortlist(s, q, limit, candidates, count);
        }
        scans.increment();
        TopK top = new TopK(Math.min(limit, count));
        for (int slot = candidates.nextSetBit(0); slot >= 0; slot = candidates.nextSetBit(slot + 1)) {
            top.offer(slot, dot(s.vectors[slot], 0, q, dimension));
        }
        return top.hits(s.ids);
    }

    private Map<UUID, Double> similaritiesOf(float[] query, Collection<UUID> ids) {
        Slab s = slab;
        if (model == null || ids.isEmpty() || s.liveCount == 0) {
            return Map.of();
        }
        requireDimension(query);
        float[] q = new float[dimension];
        normalise(query, q, 0);
        Map<UUID, Double> out = HashMap.newHashMap(ids.size());
        for (UUID id : ids) {
            Integer slot = slots.get(id);
            if (slot != null) {
                out.put(id, (double) dot(s.vectors[slot], 0, q, dimension));
            }
        }
        return out;
    }

    /** Points a shortlist of a search for {@code limit} hits among {@code candidates} re-scores. */
    private int shortlistSize(int candidates, int limit) {
        return (int)
                Math.min(candidates, Math.max((long) limit * shortlistPerHit, candidates / SHORTLIST_SHARE_DIVISOR));
    }

    /** Whether a search scoring {@code candidates} takes a shortlist rather than scanning them all. */
    private boolean shortlists(int candidates, int limit) {
        return tuning.strategy() == Strategy.AUTO
                && dimension >= MIN_CODED_DIMENSION
                && candidates > tuning.exactBelow()
                && shortlistSize(candidates, limit) < candidates;
    }

    /** What a search over {@code candidates} costs, in {@link #OFFLOAD_THRESHOLD}'s units. */
    private long work(int candidates, int limit) {
        if (!shortlists(candidates, limit)) {
            return (long) candidates * dimension;
        }
        return (long) candidates * 2 * Slab.words(dimension) + (long) shortlistSize(candidates, limit) * dimension;
    }

    /**
     * The best {@code limit} of the {@code count} slots in {@code candidates}, re-scored exactly from the
     * {@link #shortlistSize} best by their codes.
     *
     * <p>The estimate: with the stored side one bit per dimension ({@code b_d = 1} where the vector is positive), the
     * dot product with a query {@code q} is estimated up to a per-query constant by {@code sum of q_d over b_d = 1}.
     * The query is quantised to {@code u_d = round((q_d - min) / step)} in 0..15, so that sum is
     * {@code step x (sum_j 2^j x popcount(plane_j AND code) + (min / step) x popcount(code))}, plane {@code j} holding
     * bit {@code j} of every {@code u_d}: four popcounts per code word, and the code's own popcount kept per slot.
     */
    private List<VectorHit> shortlist(Slab s, float[] q, int limit, BitSet candidates, int count) {
        shortlists.increment();
        int words = Slab.words(dimension);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : q) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        float step = max > min ? (max - min) / 15 : 1;
        long[] planes = new long[4 * words];
        for (int d = 0; d < dimension; d++) {
            int u = Math.round((q[d] - min) / step);
            for (int j = 0; j < 4; j++) {
                if ((u >>> j & 1) != 0) {
                    planes[j * words + (d >>> 6)] |= 1L << d;
                }
            }
        }
        float offset = min / step;
        long[] codes = s.codes;
        short[] ones = s.ones;
        TopK best = new TopK(shortlistSize(count, limit));
        for (int slot = candidates.nextSetBit(0); slot >= 0; slot = candidates.nextSetBit(slot + 1)) {
            int base = slot * words;
            int sum = 0;
            for (int w = 0; w < words; w++) {
                long code = codes[base + w];
                sum += Long.bitCount(code & planes[w])
                        + 2 * Long.bitCount(code & planes[words + w])
                        + 4 * Long.bitCount(code & planes[2 * words + w])
                        + 8 * Long.bitCount(code & planes[3 * words + w]);
            }
            best.offer(slot, sum + offset * ones[slot]);
        }
        TopK top = new TopK(limit);
        for (int i = 0; i < best.count; i++) {
            int slot = best.slots[i];
            top.offer(slot, dot(s.vectors[slot], 0, q, dimension));
        }
        return top.hits(s.ids);
    }

    private void requireDimension(float[] vector) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    "vector has " + vector.length + " dimensions, the index holds " + dimension + " (" + model + ")");
        }
    }

    /**
     * Eight independent sums let the CPU overlap the multiply-adds (one running sum serialises on the add latency,
     * and the JIT does not reorder float additions for us). Measured at 50k × 384: 8 sums about 30 % faster than 4,
     * and then close to the memory bandwidth of one core.
     */
    static float dot(float[] v, int offset, float[] q, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = 0;
        for (; i + 7 < n; i += 8) {
            int o = offset + i;
            s0 += v[o] * q[i];
            s1 += v[o + 1] * q[i + 1];
            s2 += v[o + 2] * q[i + 2];
            s3 += v[o + 3] * q[i + 3];
            s4 += v[o + 4] * q[i + 4];
            s5 += v[o + 5] * q[i + 5];
            s6 += v[o + 6] * q[i + 6];
            s7 += v[o + 7] * q[i + 7];
        }
        for (; i < n; i++) {
            s0 += v[offset + i] * q[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Writes {@code source / |source|} into {@code target} at {@code offset}; a zero vector stays zero (score 0). */
    static void normalise(float[] source, float[] target, int offset) {
        double squares = 0;
        for (float x : source) {
            squares += (double) x * x;
        }
        double scale = squares == 0 ? 0 : 1 / Math.sqrt(squares);
        for (int i = 0; i < source.length; i++) {
            target[offset + i] = (float) (source[i] * scale);
        }
    }

    private <T> T reading(Supplier<T> work) {
        lock.readLock().lock();
        try {
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T writing(Supplier<T> work) {
        lock.writeLock().lock();
        try {
            T result = work.get();
            maintain();
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * One generation of slots: slot {@code i} holds {@code ids[i]}'s normalised vector, its code (the signs of the
     * vector, {@link #words} longs from {@code i x words}) and its payload while {@code live} has bit {@code i}. Written
     * under the index's write lock, read under its read lock; {@code liveCount} is also read without it, to pick a
     * search's thread.
     */
    static final class Slab {

        private final int words;
        float[][] vectors;
        long[] codes;
        /** The number of positive dimensions of each slot's vector (its code's popcount). */
        short[] ones;

        UUID[] ids;
        Payload[] payloads;
        final BitSet live = new BitSet();
        int size;
        volatile int liveCount;

        Slab(int capacity, int dimension) {
            words = words(dimension);
            vectors = new float[capacity][];
            codes = new long[capacity * words];
            ones = new short[capacity];
            ids = new UUID[capacity];
            payloads = new Payload[capacity];
        }

        /** Code words per vector: one bit per dimension. */
        static int words(int dimension) {
            return (dimension + 63) >>> 6;
        }

        int append(UUID id, float[] vector, Payload payload) {
            int slot = size;
            if (slot == ids.length) {
                int capacity = Math.max(16, slot + (slot >> 1));
                ids = Arrays.copyOf(ids, capacity);
                payloads = Arrays.copyOf(payloads, capacity);
                vectors = Arrays.copyOf(vectors, capacity);
                codes = Arrays.copyOf(codes, capacity * words);
                ones = Arrays.copyOf(ones, capacity);
            }
            vectors[slot] = vector;
            int positive = 0;
            for (int d = 0; d < vector.length; d++) {
                if (vector[d] > 0) {
                    codes[slot * words + (d >>> 6)] |= 1L << d;
                    positive++;
                }
            }
            ones[slot] = (short) positive;
            ids[slot] = id;
            payloads[slot] = payload;
            live.set(slot);
            liveCount++;
            size = slot + 1;
            return slot;
        }

        /** The slot stops being found; packing drops it later. */
        void kill(int slot) {
            live.clear(slot);
            payloads[slot] = null;
            liveCount--;
        }
    }

    /** What a point is filtered on. */
    record Payload(
            UUID bookId,
            UUID chapterId,
            int sectionNumber,
            String difficulty,
            String language,
            List<String> outcomeCodes) {

        static Payload of(VectorPoint point) {
            List<String> outcomes = point.outcomeCodes() == null ? List.of() : List.copyOf(point.outcomeCodes());
            return new Payload(
                    point.bookId(),
                    point.chapterId(),
                    point.sectionNumber(),
                    point.difficulty(),
                    point.language(),
                    outcomes);
        }
    }

    /**
     * {@link VectorFilter} semantics: every non-empty field must match; within a list, any value matches. The lists are
     * held as sets (null: not filtered), so a filter naming many chapters costs a hash lookup per slot, not a list scan.
     */
    record PayloadFilter(
            UUID bookId,
            Set<UUID> chapterIds,
            Set<Integer> sectionNumbers,
            Set<String> difficulties,
            Set<String> languages,
            Set<String> outcomeCodes) {

        /** Null when nothing is filtered, so an unfiltered search never touches the payloads. */
        static PayloadFilter of(VectorFilter filter) {
            if (filter == null
                    || filter.bookId() == null
                            && isEmpty(filter.chapterIds())
                            && isEmpty(filter.sectionNumbers())
                            && isEmpty(filter.difficulties())
                            && isEmpty(filter.languages())
                            && isEmpty(filter.outcomeCodes())) {
                return null;
            }
            return new PayloadFilter(
                    filter.bookId(),
                    set(filter.chapterIds()),
                    set(filter.sectionNumbers()),
                    set(filter.difficulties()),
                    set(filter.languages()),
                    set(filter.outcomeCodes()));
        }

        boolean matches(Payload p) {
            return (bookId == null || bookId.equals(p.bookId()))
                    && anyOf(chapterIds, p.chapterId())
                    && anyOf(sectionNumbers, p.sectionNumber())
                    && anyOf(difficulties, p.difficulty())
                    && anyOf(languages, p.language())
                    && (outcomeCodes == null || p.outcomeCodes().stream().anyMatch(outcomeCodes::contains));
        }

        private static <T> boolean anyOf(Set<T> accepted, T value) {
            return accepted == null || value != null && accepted.contains(value);
        }

        private static <T> Set<T> set(List<T> values) {
            return isEmpty(values)
                    ? null
                    : Set.copyOf(values.stream().filter(v -> v != null).toList());
        }

        private static boolean isEmpty(List<?> list) {
            return list == null || list.isEmpty();
        }
    }

    /** The {@code k} best scores seen so far, as a min-heap on primitive arrays (the root is the worst kept). */
    static final class TopK {

        private final float[] scores;
        private final int[] slots;
        private int count;

        TopK(int k) {
            scores = new float[k];
            slots = new int[k];
        }

        void offer(int slot, float score) {
            if (count < scores.length) {
                int i = count++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (scores[parent] <= score) {
                        break;
                    }
                    scores[i] = scores[parent];
                    slots[i] = slots[parent];
                    i = parent;
                }
                scores[i] = score;
                slots[i] = slot;
            } else if (score > scores[0]) {
                siftDownFromRoot(slot, score);
            }
        }

        private void siftDownFromRoot(int slot, float score) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= count) {
                    break;
                }
                if (child + 1 < count && scores[child + 1] < scores[child]) {
                    child++;
                }
                if (score <= scores[child]) {
                    break;
                }
                scores[i] = scores[child];
                slots[i] = slots[child];
                i = child;
            }
            scores[i] = score;
            slots[i] = slot;
        }

        List<VectorHit> hits(UUID[] ids) {
            List<VectorHit> hits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                hits.add(new VectorHit(ids[slots[i]], scores[i]));
            }
            hits.sort((a, b) -> Double.compare(b.score(), a.score()));
            return hits;
        }
    }
}
