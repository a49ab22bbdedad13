package dev.lectern.index.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lectern.index.search.SearchViews.Hit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hybrid search's score-aware fusion and the diversification step, on two-dimensional unit vectors: a passage at angle
 * θ from the question {@code (1, 0)} has cosine similarity cos θ.
 */
class HybridFusionTest {

    private static final float[] QUESTION = {1, 0};

    private final Map<String, Candidate> candidates = new LinkedHashMap<>();

    private Candidate passage(String name, double similarity) {
        float[] vector = {(float) similarity, (float) Math.sqrt(1 - similarity * similarity)};
        return add(name, vector);
    }

    private Candidate add(String name, float[] vector) {
        Hit hit = new Hit(
                UUID.nameUUIDFromBytes(name.getBytes()),
                0,
                name,
                List.of("Chapter", name),
                "book",
                "Book",
                "chapter",
                UUID.randomUUID(),
                "Chapter",
                1,
                name,
                name);
        Candidate c = new Candidate(hit, vector, name, 1, 0);
        candidates.put(name, c);
        return c;
    }

    private static ScoredChunk scored(Candidate c, double score) {
        return new ScoredChunk(c.hit().chunkId(), score);
    }

    private List<String> names(Collection<ScoredChunk> ranked) {
        return ranked.stream()
                .map(s -> candidates.values().stream()
                        .filter(c -> c.hit().chunkId().equals(s.id()))
                        .findFirst()
                        .orElseThrow()
                        .hit()
                        .text())
                .toList();
    }

    private static List<String> candidateNames(Collection<Candidate> ranked) {
        return ranked.stream().map(c -> c.hit().text()).toList();
    }

    /**
     * What the vector index answers for the passages only full text found: each one's cosine similarity to the
     * question from its vector, none for a passage without one (being re-embedded, so not in the index).
     */
    private List<ScoredChunk> fuse(List<ScoredChunk> dense, List<ScoredChunk> lexical, double weight) {
        Map<UUID, Double> similarities = new HashMap<>();
        for (ScoredChunk s : lexical) {
            candidates.values().stream()
                    .filter(c -> c.hit().chunkId().equals(s.id()) && c.embedding() != null)
                    .findFirst()
                    .ifPresent(c -> similarities.put(s.id(), SearchService.cosine(QUESTION, c.embedding())));
        }
        return SearchService.fuse(dense, lexical, similarities, weight);
    }

    @Test
    void passagesFoundByBothListsOnlyWeaklyDoNotOutrankDensesConfidentTopHit() {
        Candidate top = passage("top", 0.90);
        Candidate weakBoth1 = passage("weak-both-1", 0.60);
        Candidate weakBoth2 = passage("weak-both-2", 0.58);
        Candidate floor = passage("floor", 0.50);
        // Reciprocal rank fusion would put both weak-both passages (in two lists) above "top" (in one).
        List<ScoredChunk> ranked = fuse(
                List.of(scored(top, 0.90), scored(weakBoth1, 0.60), scored(weakBoth2, 0.58), scored(floor, 0.50)),
                List.of(scored(weakBoth2, 0.20), scored(weakBoth1, 0.17)),
                0.5);

        assertThat(names(ranked)).containsExactly("top", "weak-both-1", "weak-both-2", "floor");
        assertThat(ranked.get(0).score()).isCloseTo(0.5, within(1e-9));
        assertThat(ranked.get(3).score()).isZero();
    }

    @Test
    void aPassageHoldingTheWholeQuestionAndCloseInMeaningRisesAboveDensesTop() {
        Candidate top = passage("top", 0.80);
        Candidate exact = passage("exact", 0.78);
        Candidate floor = passage("floor", 0.50);
        List<ScoredChunk> ranked = fuse(
                List.of(scored(top, 0.80), scored(exact, 0.78), scored(floor, 0.50)),
                List.of(scored(exact, 0.95)),
                0.5);

        assertThat(names(ranked)).containsExactly("exact", "top", "floor");
    }

    @Test
    void aPassageOnlyFullTextFoundIsScoredByItsSimilarityFromTheVectorIndex() {
        Candidate top = passage("top", 0.80);
        Candidate floor = passage("floor", 0.40);
        Candidate close = passage("close-lexical-only", 0.70);
        Candidate far = passage("far-lexical-only", 0.10);
        List<ScoredChunk> ranked = fuse(
                List.of(scored(top, 0.80), scored(floor, 0.40)), List.of(scored(far, 0.60), scored(close, 0.60)), 0.5);

        assertThat(names(ranked)).containsExactly("close-lexical-only", "top", "far-lexical-only", "floor");
        assertThat(ranked.get(0).score()).isCloseTo(0.5 * 0.75 + 0.5 * 0.6, within(1e-6));
        assertThat(ranked.get(2).score())
                .as("below dense's floor counts as 0, not less")
                .isCloseTo(0.3, within(1e-9));
    }

    @Test
    void aPassageTheVectorIndexDoesNotHoldGetsOnlyItsFullTextScore() {
        Candidate top = passage("top", 0.80);
        Candidate floor = passage("floor", 0.40);
        Candidate unembedded = add("being-re-embedded", null);
        List<ScoredChunk> ranked =
                fuse(List.of(scored(top, 0.80), scored(floor, 0.40)), List.of(scored(unembedded, 0.9)), 0.5);

        assertThat(names(ranked)).containsExactly("top", "being-re-embedded", "floor");
        assertThat(ranked.get(1).score()).isCloseTo(0.45, within(1e-9));
    }

    @Test
    void theWeightRunsFromFullTextAloneToDenseAlone() {
        Candidate a = passage("a", 0.90);
        Candidate b = passage("b", 0.70);
        Candidate c = passage("c", 0.50);
        List<ScoredChunk> dense = List.of(scored(a, 0.90), scored(b, 0.70), scored(c, 0.50));
        List<ScoredChunk> lexical = List.of(scored(c, 0.9), scored(b, 0.5));

        assertThat(names(fuse(dense, lexical, 1.0))).containsExactly("a", "b", "c");
        assertThat(names(fuse(dense, lexical, 0.0))).containsExactly("c", "b", "a");
    }

    @Test
    void denseIsScaledDownToAFixedDepthSoScoresDoNotDependOnTheLimit() {
        List<ScoredChunk> dense = new ArrayList<>();
        for (int i = 0; i < 2 * SearchService.SCALE_DEPTH; i++) {
            dense.add(scored(passage("p" + i, 0.9 - i * 0.005), 0.9 - i * 0.005));
        }
        List<ScoredChunk> shallow = fuse(dense.subList(0, SearchService.SCALE_DEPTH), List.of(), 1.0);
        List<ScoredChunk> deep = fuse(dense, List.of(), 1.0);

        assertThat(deep.subList(0, SearchService.SCALE_DEPTH))
                .extracting(ScoredChunk::score)
                .isEqualTo(shallow.stream().map(ScoredChunk::score).toList());
        assertThat(deep.get(SearchService.SCALE_DEPTH).score()).isZero();
    }

    @Test
    void withNoDenseHitsFullTextDecides() {
        Candidate a = passage("a", 0.90);
        Candidate b = passage("b", 0.70);
        assertThat(names(fuse(List.of(), List.of(scored(b, 0.8), scored(a, 0.4)), 0.5)))
                .containsExactly("b", "a");
    }

    @Test
    void diversifyingKeepsTheModesRelevanceAndSkipsRepeats() {
        Candidate best = add("best", new float[] {1, 0});
        Candidate repeat = add("repeat-of-best", new float[] {1, 0});
        Candidate other = add("other-topic", new float[] {0, 1});
        Candidate closeButIrrelevant = add("close-to-question-but-ranked-low", new float[] {0.8f, 0.6f});
        List<Candidate> ranked = List.of(
                best.withScore(0.9), repeat.withScore(0.85), other.withScore(0.6), closeButIrrelevant.withScore(0.05));

        assertThat(candidateNames(SearchService.mmr(ranked, 2))).containsExactly("best", "other-topic");
    }
}
