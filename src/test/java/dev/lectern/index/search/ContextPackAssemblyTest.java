package dev.lectern.index.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.index.chunk.TokenCounter;
import dev.lectern.index.search.SearchViews.ContextPack;
import dev.lectern.index.search.SearchViews.Hit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which ranked candidates a context pack takes, counted in tokens of a stand-in tokenizer (one token per word). */
class ContextPackAssemblyTest {

    private static final TokenCounter WORDS =
            text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;
    private static final UUID CHAPTER = UUID.randomUUID();

    private final ContextPackService service = new ContextPackService(null, WORDS);

    @Test
    void takesWhatFitsInRankOrderCountingEachNewSourceHeaderOnce() {
        Candidate a = candidate(1, 0, words("alpha", 10));
        Candidate b = candidate(1, 1, words("beta", 10));
        Candidate tooBig = candidate(2, 0, words("gamma", 50));
        Candidate d = candidate(3, 0, words("delta", 5));
        // A header "[n] Book — Chapter › Section n" is 7 words: 7 + 10 + 10 for section 1, 7 + 5 for section 3.
        ContextPack pack = service.assemble("q", 39, List.of(a, b, tooBig, d));

        assertThat(pack.tokensUsed()).isEqualTo(39).isEqualTo(WORDS.count(pack.context()));
        assertThat(pack.passages())
                .extracting(p -> p.chunkId())
                .containsExactly(a.hit().chunkId(), b.hit().chunkId(), d.hit().chunkId());
        assertThat(pack.sources())
                .extracting(s -> s.number() + ":" + s.sectionNumber())
                .containsExactly("1:1", "2:3");
        assertThat(pack.context())
                .startsWith("[1] Book — Chapter › Section 1\n")
                .contains("\n\n[2] Book — Chapter › Section 3\n");
    }

    @Test
    void oneTokenShortLeavesTheLastPassageOut() {
        Candidate a = candidate(1, 0, words("alpha", 10));
        Candidate d = candidate(3, 0, words("delta", 5));
        ContextPack pack = service.assemble("q", 7 + 10 + 7 + 5 - 1, List.of(a, d));
        assertThat(pack.passages()).hasSize(1);
        assertThat(pack.tokensUsed()).isEqualTo(17).isEqualTo(WORDS.count(pack.context()));
    }

    @Test
    void nearDuplicatesAndRepeatedPassagesAreTakenOnce() {
        Candidate a = candidate(1, 0, words("alpha", 12));
        Candidate sameText = candidate(2, 0, words("alpha", 12));
        Candidate overlapping = candidate(1, 1, words("alpha", 11) + " omega");
        ContextPack pack = service.assemble("q", 1_000, List.of(a, sameText, overlapping));
        assertThat(pack.passages())
                .singleElement()
                .extracting(p -> p.chunkId())
                .isEqualTo(a.hit().chunkId());
    }

    @Test
    void eachLeadingSectionGetsItsBestPassageBeforeASectionGetsASecond() {
        // Hybrid's top five: three chunks of section 1, then sections 2 and 3; room for three passages.
        Candidate a0 = candidate(1, 0, words("alpha", 10));
        Candidate a1 = candidate(1, 1, words("beta", 10));
        Candidate a2 = candidate(1, 2, words("gamma", 10));
        Candidate b = candidate(2, 0, words("delta", 10));
        Candidate c = candidate(3, 0, words("epsilon", 10));
        Candidate a3 = candidate(1, 3, words("zeta", 10));
        List<Candidate> ranked = List.of(a0, a1, a2, b, c, a3);

        ContextPack three = service.assemble("q", 3 * (7 + 10), ranked);
        assertThat(three.passages())
                .extracting(p -> p.chunkId())
                .containsExactly(a0.hit().chunkId(), b.hit().chunkId(), c.hit().chunkId());

        // With room for more, the rest follow by rank: the second and third chunks of section 1, not the sixth hit.
        ContextPack five = service.assemble("q", 3 * 7 + 5 * 10, ranked);
        assertThat(five.passages())
                .extracting(p -> p.chunkId())
                .containsExactly(
                        a0.hit().chunkId(),
                        a1.hit().chunkId(),
                        a2.hit().chunkId(),
                        b.hit().chunkId(),
                        c.hit().chunkId());
        assertThat(five.sources())
                .as("numbered by their best passage's rank")
                .extracting(s -> s.number() + ":" + s.sectionNumber())
                .containsExactly("1:1", "2:2", "3:3");
    }

    @Test
    void sectionsBeyondTheLeadingHitsWaitTheirTurnByRank() {
        List<Candidate> ranked = new ArrayList<>();
        for (int i = 0; i < ContextPackService.LEADING_HITS; i++) {
            ranked.add(candidate(1, i, words("s1w" + i + "x", 10)));
        }
        Candidate late = candidate(2, 0, words("late", 10));
        ranked.add(late);
        ContextPack pack = service.assemble("q", 7 + 2 * 10, ranked);
        assertThat(pack.passages())
                .extracting(p -> p.chunkId())
                .containsExactly(
                        ranked.get(0).hit().chunkId(), ranked.get(1).hit().chunkId());
    }

    @Test
    void anEmptyBudgetGivesAnEmptyPack() {
        ContextPack pack = service.assemble("q", 0, List.of(candidate(1, 0, words("alpha", 3))));
        assertThat(pack.passages()).isEmpty();
        assertThat(pack.context()).isEmpty();
        assertThat(pack.tokensUsed()).isZero();
    }

    private static String words(String stem, int n) {
        return IntStream.range(0, n).mapToObj(i -> stem + i).collect(Collectors.joining(" "));
    }

    private static Candidate candidate(int section, int ordinal, String text) {
        Hit hit = new Hit(
                UUID.randomUUID(),
                1.0 / (section + ordinal),
                text,
                new ArrayList<>(List.of("Chapter", "Section " + section)),
                "book",
                "Book",
                "chapter",
                CHAPTER,
                "Chapter",
                section,
                "Section " + section,
                "section-" + section);
        return new Candidate(
                hit, null, Integer.toHexString(text.hashCode()), WORDS.count(text), section * 100 + ordinal);
    }
}
