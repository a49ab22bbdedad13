package dev.lectern.index.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorIndex} must do, run against each implementation (plain JUnit, no Quarkus). Vectors are
 * four-dimensional so the expected cosine scores can be worked out by hand.
 */
abstract class VectorIndexContract {

    static final String MODEL = "test-model";
    static final int DIM = 4;

    static final UUID BOOK_1 = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    static final UUID BOOK_2 = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
    static final UUID CHAPTER_1 = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
    static final UUID CHAPTER_2 = UUID.fromString("00000000-0000-0000-0000-0000000000c2");
    static final UUID CHAPTER_3 = UUID.fromString("00000000-0000-0000-0000-0000000000c3");

    protected VectorIndex index;

    /** A fresh, empty index (nothing ensured yet). */
    protected abstract VectorIndex newIndex();

    /** Releases what {@link #newIndex()} created. */
    protected void dispose(VectorIndex index) {}

    @BeforeEach
    void createIndex() {
        index = newIndex();
    }

    @AfterEach
    void disposeIndex() {
        dispose(index);
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    static float[] v(float... values) {
        return values;
    }

    static VectorPoint point(UUID id, float[] vector) {
        return new VectorPoint(id, vector, BOOK_1, CHAPTER_1, 1, "beginner", "en", List.of("LO-1"));
    }

    static VectorPoint point(
            UUID id, UUID book, UUID chapter, int section, String difficulty, String language, List<String> outcomes) {
        return new VectorPoint(id, v(1, 0, 0, 0), book, chapter, section, difficulty, language, outcomes);
    }

    static VectorFilter filter(
            UUID book,
            List<UUID> chapters,
            List<Integer> sections,
            List<String> difficulties,
            List<String> languages,
            List<String> outcomes) {
        return new VectorFilter(book, chapters, sections, difficulties, languages, outcomes);
    }

    List<UUID> searchIds(float[] query, int limit, VectorFilter filter) {
        return await(index.search(query, limit, filter)).stream()
                .map(VectorHit::id)
                .toList();
    }

    // --- ensure / recreate

    @Test
    void ensureCreatesAnEmptyIndexForTheModel() {
        assertThat(await(index.ensure(MODEL, DIM))).isTrue();
        assertThat(await(index.count())).isZero();
        assertThat(await(index.ensure(MODEL, DIM))).as("ensure is idempotent").isTrue();
        assertThat(await(index.isReachable())).isTrue();
    }

    @Test
    void ensureAnswersFalseForAnotherModelOrDimension() {
        await(index.ensure(MODEL, DIM));
        UUID id = UUID.randomUUID();
        await(index.upsert(List.of(point(id, v(1, 0, 0, 0)))));

        assertThat(await(index.ensure("another-model", DIM))).isFalse();
        assertThat(await(index.ensure(MODEL, DIM + 4))).isFalse();
        assertThat(await(index.ensure(MODEL, DIM)))
                .as("a mismatch changes nothing")
                .isTrue();
        assertThat(await(index.count())).isEqualTo(1);
    }

    @Test
    void recreateEmptiesTheIndexForTheNewModel() {
        await(index.ensure(MODEL, DIM));
        await(index.upsert(List.of(point(UUID.randomUUID(), v(1, 0, 0, 0)))));

        await(index.recreate("another-model", 8));

        assertThat(await(index.count())).isZero();
        assertThat(await(index.ensure("another-model", 8))).isTrue();
        assertThat(await(index.ensure(MODEL, DIM))).isFalse();
        UUID id = UUID.randomUUID();
        float[] eight = v(0, 0, 0, 0, 0, 0, 0, 1);
        await(index.upsert(List.of(new VectorPoint(id, eight, BOOK_1, CHAPTER_1, 1, null, null, List.of()))));
        assertThat(searchIds(eight, 5, VectorFilter.NONE)).containsExactly(id);
    }

    // --- upsert, search, delete

    @Test
    void searchReturnsTheNearestFirstWithCosineScores() {
        await(index.ensure(MODEL, DIM));
        UUID same = UUID.randomUUID();
        UUID diagonal = UUID.randomUUID();
        UUID threeFour = UUID.randomUUID();
        UUID orthogonal = UUID.randomUUID();
        UUID opposite = UUID.randomUUID();
        await(index.upsert(List.of(
                point(orthogonal, v(0, 1, 0, 0)),
                point(diagonal, v(1, 1, 0, 0)),
                point(opposite, v(-2, 0, 0, 0)),
                point(same, v(5, 0, 0, 0)),
                point(threeFour, v(3, 4, 0, 0)))));

        List<VectorHit> hits = await(index.search(v(2, 0, 0, 0), 10, VectorFilter.NONE));

        assertThat(hits).extracting(VectorHit::id).containsExactly(same, diagonal, threeFour, orthogonal, opposite);
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-5));
        assertThat(hits.get(2).score()).isCloseTo(0.6, within(1e-5));
        assertThat(hits.get(3).score()).isCloseTo(0.0, within(1e-5));
        assertThat(hits.get(4).score()).isCloseTo(-1.0, within(1e-5));
    }

    @Test
    void similaritiesScorePointsByIdAsSearchDoesAndLeaveOutUnknownOnes() {
        await(index.ensure(MODEL, DIM));
        UUID diagonal = UUID.randomUUID();
        UUID threeFour = UUID.randomUUID();
        UUID opposite = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        await(index.upsert(List.of(
                point(diagonal, v(1, 1, 0, 0)), point(threeFour, v(3, 4, 0, 0)), point(opposite, v(-2, 0, 0, 0)))));
        float[] query = v(2, 0, 0, 0);

        Map<UUID, Double> similarities = await(index.similarities(query, List.of(threeFour, unknown, diagonal)));

        assertThat(similarities).containsOnlyKeys(threeFour, diagonal);
        assertThat(similarities.get(threeFour)).isCloseTo(0.6, within(1e-5));
        assertThat(similarities.get(diagonal)).isCloseTo(Math.sqrt(0.5), within(1e-5));
        for (VectorHit hit : await(index.search(query, 3, VectorFilter.NONE))) {
            if (similarities.containsKey(hit.id())) {
                assertThat(similarities.get(hit.id()))
                        .as("the score search gives")
                        .isEqualTo(hit.score());
            }
        }
        assertThat(await(index.similarities(query, List.of()))).isEmpty();
    }

    @Test
    void upsertingTheSameIdAgainKeepsOnePointWithTheLatestVectorAndPayload() {
        await(index.ensure(MODEL, DIM));
        UUID id = UUID.randomUUID();
        await(index.upsert(List.of(point(id, v(1, 0, 0, 0)))));
        await(index.upsert(
                List.of(new VectorPoint(id, v(0, 0, 1, 0), BOOK_2, CHAPTER_2, 7, "advanced", "de", List.of("LO-9")))));

        assertThat(await(index.count())).isEqualTo(1);
        List<VectorHit> hits = await(index.search(v(0, 0, 1, 0), 10, VectorFilter.NONE));
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).id()).isEqualTo(id);
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-5));
        assertThat(searchIds(v(0, 0, 1, 0), 10, filter(BOOK_2, null, List.of(7), null, List.of("de"), List.of("LO-9"))))
                .containsExactly(id);
        assertThat(searchIds(v(0, 0, 1, 0), 10, filter(BOOK_1, null, null, null, null, null)))
                .isEmpty();
    }

    @Test
    void upsertingABatchTwiceIsIdempotent() {
        await(index.ensure(MODEL, DIM));
        List<VectorPoint> batch = randomPoints(600, new Random(7));

        await(index.upsert(batch));
        await(index.upsert(batch));

        assertThat(await(index.count())).isEqualTo(600);
        VectorPoint probe = batch.get(423);
        assertThat(await(index.search(probe.vector(), 1, VectorFilter.NONE))
                        .get(0)
                        .id())
                .isEqualTo(probe.id());
    }

    @Test
    void aBatchWithAVectorOfTheWrongDimensionIsRejectedWhole() {
        await(index.ensure(MODEL, DIM));
        List<VectorPoint> batch =
                List.of(point(UUID.randomUUID(), v(1, 0, 0, 0)), point(UUID.randomUUID(), v(1, 0, 0)));

        assertThatThrownBy(() -> await(index.upsert(batch))).isNotInstanceOf(VectorIndexUnavailableException.class);
        assertThat(await(index.count())).isZero();
    }

    @Test
    void deleteRemovesPointsAndIgnoresUnknownIds() {
        await(index.ensure(MODEL, DIM));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        await(index.upsert(List.of(point(a, v(1, 0, 0, 0)), point(b, v(0, 1, 0, 0)), point(c, v(0, 0, 1, 0)))));

        await(index.delete(List.of(a, UUID.randomUUID())));
        await(index.delete(List.of()));

        assertThat(await(index.count())).isEqualTo(2);
        assertThat(searchIds(v(1, 0, 0, 0), 10, VectorFilter.NONE)).containsExactlyInAnyOrder(b, c);
        assertThat(searchIds(v(0, 0, 1, 0), 1, VectorFilter.NONE)).containsExactly(c);
    }

    @Test
    void replaceChapterKeepsExactlyTheNewPointsOfThatChapterAndLeavesOthersAlone() {
        await(index.ensure(MODEL, DIM));
        UUID kept = UUID.randomUUID();
        UUID stale = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        await(index.upsert(List.of(
                point(kept, BOOK_1, CHAPTER_1, 1, "beginner", "en", List.of()),
                point(stale, BOOK_1, CHAPTER_1, 2, "beginner", "en", List.of()),
                point(other, BOOK_1, CHAPTER_2, 1, "beginner", "en", List.of()))));
        UUID added = UUID.randomUUID();

        List<VectorPoint> now = List.of(
                point(kept, BOOK_1, CHAPTER_1, 1, "beginner", "en", List.of()),
                point(added, BOOK_1, CHAPTER_1, 3, "beginner", "en", List.of()));
        await(index.replaceChapter(CHAPTER_1, now));
        await(index.replaceChapter(CHAPTER_1, now)); // idempotent

        assertThat(searchIds(v(1, 0, 0, 0), 10, VectorFilter.NONE)).containsExactlyInAnyOrder(kept, added, other);
        assertThat(await(index.count())).isEqualTo(3);
    }

    @Test
    void replaceChapterWithNothingRemovesTheChapter() {
        await(index.ensure(MODEL, DIM));
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        await(index.upsert(List.of(
                point(a, BOOK_1, CHAPTER_1, 1, "beginner", "en", List.of()),
                point(b, BOOK_1, CHAPTER_2, 1, "beginner", "en", List.of()))));

        await(index.replaceChapter(CHAPTER_1, List.of()));
        await(index.replaceChapter(CHAPTER_3, List.of())); // a chapter the index never held

        assertThat(searchIds(v(1, 0, 0, 0), 10, VectorFilter.NONE)).containsExactly(b);
    }

    @Test
    void limitKeepsTheBestHits() {
        await(index.ensure(MODEL, DIM));
        UUID best = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        await(index.upsert(
                List.of(point(third, v(0, 1, 0, 0)), point(best, v(1, 0, 0, 0)), point(second, v(1, 1, 0, 0)))));

        assertThat(searchIds(v(1, 0, 0, 0), 2, VectorFilter.NONE)).containsExactly(best, second);
        assertThat(searchIds(v(1, 0, 0, 0), 1, VectorFilter.NONE)).containsExactly(best);
        assertThat(searchIds(v(1, 0, 0, 0), 50, VectorFilter.NONE)).containsExactly(best, second, third);
        assertThat(searchIds(v(1, 0, 0, 0), 0, VectorFilter.NONE)).isEmpty();
    }

    @Test
    void anEmptyIndexFindsNothing() {
        await(index.ensure(MODEL, DIM));

        assertThat(await(index.search(v(1, 0, 0, 0), 10, VectorFilter.NONE))).isEmpty();
        assertThat(await(index.search(v(1, 0, 0, 0), 10, filter(BOOK_1, null, null, null, null, null))))
                .isEmpty();
    }

    @Test
    void countFollowsUpsertsAndDeletes() {
        await(index.ensure(MODEL, DIM));
        assertThat(await(index.count())).isZero();
        List<VectorPoint> points = randomPoints(10, new Random(3));

        await(index.upsert(points));
        assertThat(await(index.count())).isEqualTo(10);

        await(index.delete(points.subList(0, 4).stream().map(VectorPoint::id).toList()));
        assertThat(await(index.count())).isEqualTo(6);
    }

    // --- filters

    /** Four points with the same vector and different payloads, so only the filter decides. */
    private final UUID p1 = UUID.randomUUID();

    private final UUID p2 = UUID.randomUUID();
    private final UUID p3 = UUID.randomUUID();
    private final UUID p4 = UUID.randomUUID();

    private void upsertFilterFixture() {
        await(index.ensure(MODEL, DIM));
        await(index.upsert(List.of(
                point(p1, BOOK_1, CHAPTER_1, 1, "beginner", "en", List.of("LO-1")),
                point(p2, BOOK_1, CHAPTER_2, 2, "intermediate", "de", List.of("LO-2", "LO-3")),
                point(p3, BOOK_2, CHAPTER_3, 1, "advanced", "en", List.of()),
                point(p4, BOOK_1, CHAPTER_1, 3, null, null, List.of("LO-3")))));
    }

    private List<UUID> filtered(VectorFilter filter) {
        return searchIds(v(1, 0, 0, 0), 10, filter);
    }

    @Test
    void filterByBook() {
        upsertFilterFixture();
        assertThat(filtered(filter(BOOK_1, null, null, null, null, null))).containsExactlyInAnyOrder(p1, p2, p4);
        assertThat(filtered(filter(BOOK_2, null, null, null, null, null))).containsExactly(p3);
        assertThat(filtered(filter(UUID.randomUUID(), null, null, null, null, null)))
                .isEmpty();
    }

    @Test
    void filterByChaptersMatchesAnyOfThem() {
        upsertFilterFixture();
        assertThat(filtered(filter(null, List.of(CHAPTER_1), null, null, null, null)))
                .containsExactlyInAnyOrder(p1, p4);
        assertThat(filtered(filter(null, List.of(CHAPTER_2, CHAPTER_3), null, null, null, null)))
                .containsExactlyInAnyOrder(p2, p3);
    }

    @Test
    void filterBySections() {
        upsertFilterFixture();
        assertThat(filtered(filter(null, null, List.of(1), null, null, null))).containsExactlyInAnyOrder(p1, p3);
        assertThat(filtered(filter(null, null, List.of(2, 3), null, null, null)))
                .containsExactlyInAnyOrder(p2, p4);
        assertThat(filtered(filter(null, null, List.of(9), null, null, null))).isEmpty();
    }

    @Test
    void filterByDifficultySkipsPointsWithout() {
        upsertFilterFixture();
        assertThat(filtered(filter(null, null, null, List.of("beginner", "advanced"), null, null)))
                .containsExactlyInAnyOrder(p1, p3);
        assertThat(filtered(filter(null, null, null, List.of("intermediate"), null, null)))
                .containsExactly(p2);
    }

    @Test
    void filterByLanguageSkipsPointsWithout() {
        upsertFilterFixture();
        assertThat(filtered(filter(null, null, null, null, List.of("en"), null)))
                .containsExactlyInAnyOrder(p1, p3);
        assertThat(filtered(filter(null, null, null, null, List.of("de", "fr"), null)))
                .containsExactly(p2);
    }

    @Test
    void filterByOutcomesMatchesAPointHoldingAnyOfThem() {
        upsertFilterFixture();
        assertThat(filtered(filter(null, null, null, null, null, List.of("LO-3"))))
                .containsExactlyInAnyOrder(p2, p4);
        assertThat(filtered(filter(null, null, null, null, null, List.of("LO-1", "LO-2"))))
                .containsExactlyInAnyOrder(p1, p2);
        assertThat(filtered(filter(null, null, null, null, null, List.of("LO-404"))))
                .isEmpty();
    }

    @Test
    void filterFieldsCombineWithAnd() {
        upsertFilterFixture();
        assertThat(filtered(filter(BOOK_1, null, List.of(1, 3), null, List.of("en"), null)))
                .containsExactly(p1);
        assertThat(filtered(filter(
                        BOOK_1, List.of(CHAPTER_1, CHAPTER_2), null, List.of("intermediate"), null, List.of("LO-3"))))
                .containsExactly(p2);
        assertThat(filtered(filter(BOOK_2, List.of(CHAPTER_1), null, null, null, null)))
                .isEmpty();
        assertThat(filtered(filter(BOOK_1, List.of(CHAPTER_1), List.of(3), null, null, List.of("LO-3"))))
                .containsExactly(p4);
    }

    @Test
    void emptyOrAbsentFilterFieldsDoNotFilter() {
        upsertFilterFixture();
        assertThat(filtered(VectorFilter.NONE)).containsExactlyInAnyOrder(p1, p2, p3, p4);
        assertThat(filtered(null)).containsExactlyInAnyOrder(p1, p2, p3, p4);
        assertThat(filtered(filter(null, List.of(), List.of(), List.of(), List.of(), List.of())))
                .containsExactlyInAnyOrder(p1, p2, p3, p4);
    }

    @Test
    void filteringAppliesBeforeTheLimit() {
        upsertFilterFixture();
        UUID nearButOtherBook = UUID.randomUUID();
        await(index.upsert(List.of(
                new VectorPoint(nearButOtherBook, v(1, 0, 0, 0), BOOK_2, CHAPTER_3, 1, null, null, List.of()))));

        assertThat(searchIds(v(1, 0, 0, 0), 1, filter(BOOK_1, null, List.of(2), null, null, null)))
                .containsExactly(p2);
    }

    static List<VectorPoint> randomPoints(int n, Random random) {
        return randomPoints(n, DIM, random);
    }

    static List<VectorPoint> randomPoints(int n, int dimension, Random random) {
        List<VectorPoint> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] vector = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                vector[d] = (float) random.nextGaussian();
            }
            points.add(new VectorPoint(
                    new UUID(random.nextLong(), random.nextLong()),
                    vector,
                    BOOK_1,
                    CHAPTER_1,
                    i % 5,
                    "beginner",
                    "en",
                    List.of("LO-" + (i % 3))));
        }
        return points;
    }
}
