package dev.lectern.index.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.IndexFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.index.search.FullTextStore.TermStatistics;
import dev.lectern.index.vector.VectorFilter;
import dev.lectern.support.AsAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The two full-text steps against PostgreSQL, and the choice of terms for the OR step. */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class FullTextStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A word found nowhere else (the test database outlives a run, so a new one each run). */
    private static final String RARE_WORD =
            "zq" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").replace('e', 'x') + "x";

    /** A passage with that word, in a chapter full of words found everywhere in these tests. */
    private static final String RARE_WORD_CHAPTER = IndexFixtures.ROBOTICS + """

            ## Calibration

            Before odometry can be trusted, a %s wheel calibration measures the true wheel radius of the robot.
            """.formatted(RARE_WORD);

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @Inject
    FullTextStore configured;

    @Test
    void theAllTermsStepAnswersAloneWhenItFindsEnough() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        // "robot" and "wheel" are together in several passages of the chapter: no OR step, ranked by ts_rank_cd.
        List<ScoredChunk> hits = search(configured, "robot wheels", 2, c[0]);
        assertThat(hits).hasSize(2);
        assertThat(hits.get(0).score())
                .isGreaterThanOrEqualTo(hits.get(1).score())
                .isPositive();
        assertThat(texts(hits))
                .allSatisfy(t -> assertThat(t.toLowerCase()).contains("robot").contains("wheel"));
    }

    @Test
    void theAnyTermStepKeepsPassagesMissingAWordOfTheQuestion() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        // No passage holds "submarine": the AND finds nothing, the OR still finds the lidar passage, best first.
        List<ScoredChunk> hits = search(configured, "submarine lidar laser pulses", 5, c[0]);
        assertThat(hits).isNotEmpty();
        assertThat(texts(hits.subList(0, 1)).get(0)).contains("laser pulses");
    }

    @Test
    void overTheBudgetTheAnyTermStepMatchesOnlyTheRarestTermsButRanksWithAll() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, RARE_WORD_CHAPTER);
        pool.query("ANALYZE chunks").execute().await().atMost(WAIT);
        FullTextStore tight = new FullTextStore(pool, 0, Duration.ofMinutes(10));
        TermStatistics stats = tight.statistics().await().atMost(WAIT);
        // Every test indexes robot chapters: "robot" is among the column's most common elements, far more than the rare
        // word (on a table this small ANALYZE may list that one too, with its single passage).
        assertThat(stats.chunksHolding("robot"))
                .as("statistics of chunks.search_vector after ANALYZE")
                .isGreaterThan(stats.chunksHolding(RARE_WORD) + 1);

        String question = "robot " + RARE_WORD;
        // Corpus-wide with budget 0: only the rarest term selects passages.
        assertThat(texts(search(tight, question, 10, null)))
                .singleElement()
                .asString()
                .contains(RARE_WORD);
        // A budget that admits "robot" as well (the test database holds every run's robot chapters): robot passages
        // come
        // back, the one holding both terms first.
        List<String> wide =
                texts(search(new FullTextStore(pool, 1_000_000, Duration.ofMinutes(10)), question, 10, null));
        assertThat(wide).hasSizeGreaterThan(1);
        assertThat(wide.get(0)).contains(RARE_WORD);
        // Within a book every term selects whatever the budget: the scope bounds the work.
        List<String> inBook = texts(search(tight, question, 10, c[0]));
        assertThat(inBook)
                .hasSize(5)
                .allSatisfy(t -> assertThat(t.toLowerCase()).containsAnyOf("robot", RARE_WORD));
        assertThat(inBook.get(0)).contains(RARE_WORD);
    }

    @Test
    void corpusWideAtMostTheCandidatesAreRankedButWithinABookEveryMatchIs() {
        String word = RARE_WORD + "w";
        // Three passages hold the word; the Calibration passage holds it in its heading and three times in its text.
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS + """

                ## Sensors

                A %1$s reading is noisy.

                ## Drivers

                Every driver logs the %1$s value it reads.

                ## The %1$s calibration

                Before trusting the %1$s, calibrate the %1$s against a %1$s of known size.
                """.formatted(word));
        FullTextStore one = new FullTextStore(pool, 1, Duration.ofMinutes(10));
        // Corpus-wide with room for one passage and a limit of one: one of them, whichever the index finds first.
        assertThat(texts(search(one, word, 1, null))).singleElement().asString().contains(word);
        // Never fewer than the limit, however small the bound: all three.
        assertThat(search(one, word, 10, null)).hasSize(3);
        // Within the book every match is ranked whatever the bound, so the best comes first; so it does corpus-wide
        // with the configured bound, which three passages fit.
        assertThat(texts(search(one, word, 1, c[0])).get(0)).contains("Before trusting");
        assertThat(texts(search(configured, word, 1, null)).get(0)).contains("Before trusting");
    }

    @Test
    void theUnfilteredFilteredAndScopedStatementsRankAlike() {
        // Two terms only this chapter holds: a common one ("robot") would let the any-term step's fill select passages
        // of every test's book, more than the candidate bound, and which of them are ranked is then the plan's choice.
        String word = RARE_WORD + "z";
        String other = RARE_WORD + "q";
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS + """

                ## Sensors

                A %1$s reading is noisy, so every %2$s driver filters each %1$s it reads.

                ## Drivers

                Each %2$s driver logs what it reads.

                ## Logs

                The %2$s log rotates daily.
                """.formatted(word, other));
        UUID book = bookId(c[0]);
        for (String question : List.of(word + " " + other, word + " submarine")) { // all-terms step, then any-term
            List<ScoredChunk> unfiltered = filtered(configured, question, 5, VectorFilter.NONE);
            assertThat(unfiltered).as(question).isNotEmpty();
            assertThat(filtered(configured, question, 5, new VectorFilter(null, null, null, null, List.of("en"), null)))
                    .as(question + ", filtered by a language every book here has")
                    .isEqualTo(unfiltered);
            // Within the book every term selects (corpus-wide only the rare one may), so more may follow; not the best.
            assertThat(filtered(configured, question, 5, new VectorFilter(book, null, null, null, null, null))
                            .get(0))
                    .as(question + ", within the book")
                    .isEqualTo(unfiltered.get(0));
        }
    }

    @Test
    void inTheAnyTermStepARareTermOutweighsTwoThatMostPassagesHold() {
        String rare = RARE_WORD + "y";
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS + """

                ## Glossary

                A %s is the unit a sensor driver reports in.
                """.formatted(rare));
        pool.query("ANALYZE chunks").execute().await().atMost(WAIT);
        // From the column's statistics the rare word weighs more than "robot"; how much more depends on what the other
        // tests left in the shared database, so the ranking below is checked against a corpus where most passages
        // hold "robot" and "wheel".
        TermStatistics real = new FullTextStore(pool, 2_000, Duration.ofMinutes(10))
                .statistics()
                .await()
                .atMost(WAIT);
        assertThat(real.weight("robot")).isLessThan(real.weight(rare));
        TermStatistics common = new TermStatistics(Map.of("robot", 900.0, "wheel", 800.0), 1_000, 1, 0);
        assertThat(common.weight("robot") + common.weight("wheel")).isLessThan(common.weight(rare) / 2);
        FullTextStore fresh = withStatistics(common);

        // No passage holds all three terms; several hold "robot" and "wheel", one holds the rare word alone.
        List<ScoredChunk> hits = search(fresh, "robot wheel " + rare, 5, c[0]);
        assertThat(texts(hits.subList(0, 1)).get(0)).contains(rare);
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        // Without statistics every term weighs the same, and two terms of three beat one.
        assertThat(texts(search(withStatistics(TermStatistics.NONE), "robot wheel " + rare, 5, c[0]))
                        .get(0))
                .doesNotContain(rare);
    }

    @Test
    void englishBooksAreStemmedWithTheEnglishConfigurationAndOthersKeptAsWritten() {
        for (String[] expected : List.of(
                new String[] {"en-GB", "integr", "integrating"}, new String[] {"de", "integrating", "integr"})) {
            String book = CatalogueFixtures.uniqueSlug("book");
            io.restassured.RestAssured.given()
                    .contentType("application/json")
                    .body("{\"slug\":\"" + book + "\",\"title\":\"T\",\"language\":\"" + expected[0]
                            + "\",\"published\":true}")
                    .when()
                    .post("/api/v1/books")
                    .then()
                    .statusCode(201);
            String id = CatalogueFixtures.putChapter(
                            book, CatalogueFixtures.uniqueSlug("chapter"), IndexFixtures.ROBOTICS)
                    .statusCode(201)
                    .extract()
                    .path("id");
            IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(id));
            List<String> lexemes = new java.util.ArrayList<>();
            pool.preparedQuery(
                            "SELECT DISTINCT unnest(tsvector_to_array(search_vector)) AS l FROM chunks WHERE chapter_id = $1")
                    .execute(Tuple.of(UUID.fromString(id)))
                    .await()
                    .atMost(WAIT)
                    .forEach(r -> lexemes.add(r.getString("l")));
            assertThat(lexemes).as(expected[0]).contains(expected[1]).doesNotContain(expected[2]);
            // And the question is read the same way: the passages come back for the word as written.
            assertThat(search(configured, "integrating", 5, book))
                    .as(expected[0])
                    .isNotEmpty();
        }
    }

    private FullTextStore withStatistics(TermStatistics fixed) {
        return new FullTextStore(pool, 2_000, Duration.ZERO) {
            @Override
            Uni<TermStatistics> statistics() {
                return Uni.createFrom().item(fixed);
            }
        };
    }

    private List<ScoredChunk> search(FullTextStore search, String question, int limit, String book) {
        UUID bookId = book == null ? null : bookId(book);
        return filtered(search, question, limit, new VectorFilter(bookId, null, null, null, null, null));
    }

    private static List<ScoredChunk> filtered(FullTextStore search, String question, int limit, VectorFilter filter) {
        return search.search(question, limit, new SearchScope(filter, false), null)
                .await()
                .atMost(WAIT);
    }

    private UUID bookId(String slug) {
        return pool.preparedQuery("SELECT id FROM books WHERE slug = $1")
                .execute(Tuple.of(slug))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getUUID("id");
    }

    private List<String> texts(List<ScoredChunk> hits) {
        Map<UUID, String> byId = new java.util.HashMap<>();
        pool.preparedQuery("SELECT id, text FROM chunks WHERE id = ANY($1)")
                .execute(Tuple.of(hits.stream().map(ScoredChunk::id).toArray(UUID[]::new)))
                .await()
                .atMost(WAIT)
                .forEach(r -> byId.put(r.getUUID("id"), r.getString("text")));
        return hits.stream().map(h -> byId.get(h.id())).toList();
    }
}
