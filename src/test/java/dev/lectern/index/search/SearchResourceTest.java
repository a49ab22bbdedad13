package dev.lectern.index.search;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.IndexFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@QuarkusTest
@ExtendWith(AsAdmin.class)
class SearchResourceTest {

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private static JsonPath search(String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    @Test
    void everyModeFindsTheSectionThatAnswersAndCitesIt() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        for (String mode : List.of("dense", "fulltext", "hybrid")) {
            JsonPath result = search(IndexFixtures.searchBody(
                    "How does a robot estimate its position from wheel encoders?", mode, c[0]));
            assertThat(result.getString("mode")).isEqualTo(mode);
            assertThat(result.getList("hits")).as(mode).isNotEmpty();
            assertThat(result.getString("hits[0].sectionTitle")).as(mode).isEqualTo("Odometry");
            assertThat(result.getInt("hits[0].sectionNumber")).isEqualTo(3);
            assertThat(result.getString("hits[0].anchor")).isEqualTo("odometry");
            assertThat(result.getString("hits[0].book")).isEqualTo(c[0]);
            assertThat(result.getString("hits[0].chapter")).isEqualTo(c[1]);
            assertThat(result.getString("hits[0].chapterId")).isEqualTo(c[2]);
            assertThat(result.getString("hits[0].chapterTitle")).isEqualTo("Robot Motion");
            assertThat(result.getList("hits[0].headingPath", String.class)).containsExactly("Robot Motion", "Odometry");
            assertThat(result.getString("hits[0].text")).contains("encoder ticks");
            assertThat(result.getDouble("hits[0].score")).isPositive();
        }
    }

    @Test
    void hybridIsTheDefaultModeAndCodeBlocksStayWhole() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        JsonPath result = search("{\"query\":\"integrate encoder ticks\",\"filters\":{\"book\":\"" + c[0] + "\"}}");
        assertThat(result.getString("mode")).isEqualTo("hybrid");
        String text = result.getString("hits[0].text");
        assertThat(text).contains("```python").contains("x += distance * cos(theta)");
        assertThat(text.indexOf("```python")).isLessThan(text.lastIndexOf("```"));
    }

    @Test
    void filtersNarrowTheResults() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        String body = "{\"query\":\"robot wheels\",\"mode\":\"%s\",\"limit\":10,\"filters\":{\"book\":\"" + c[0]
                + "\",\"chapters\":[\"" + c[1] + "\"],\"sections\":[4]}}";
        for (String mode : List.of("dense", "fulltext", "hybrid")) {
            JsonPath result = search(body.formatted(mode));
            assertThat(result.getList("hits.sectionNumber", Integer.class))
                    .as(mode)
                    .isNotEmpty()
                    .containsOnly(4);
        }
        String advanced = "{\"query\":\"robot wheels\",\"mode\":\"%s\",\"filters\":{\"book\":\"" + c[0]
                + "\",\"difficulty\":[\"advanced\"]}}";
        String otherLanguage = "{\"query\":\"robot wheels\",\"mode\":\"%s\",\"filters\":{\"book\":\"" + c[0]
                + "\",\"language\":[\"ur\"]}}";
        for (String mode : List.of("dense", "fulltext", "hybrid")) {
            assertThat(search(advanced.formatted(mode)).getList("hits"))
                    .as(mode)
                    .isEmpty();
            assertThat(search(otherLanguage.formatted(mode)).getList("hits"))
                    .as(mode)
                    .isEmpty();
        }
    }

    @Test
    void outcomeFilterUsesTheChapterOutcomeCodes() {
        String framework = CatalogueFixtures.defaultFrameworkWithOutcomes(
                CatalogueFixtures.uniqueSlug("mot").toUpperCase());
        String code = given().when()
                .get("/api/v1/frameworks/{code}/outcomes", framework)
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].code");
        String withOutcome =
                IndexFixtures.ROBOTICS.replace("difficulty: beginner", "difficulty: beginner\noutcomes:\n  - " + code);
        String[] c = IndexFixtures.indexedChapter(pool, worker, withOutcome);
        String body =
                "{\"query\":\"lidar\",\"mode\":\"%s\",\"filters\":{\"book\":\"" + c[0] + "\",\"outcomes\":[\"%s\"]}}";
        for (String mode : List.of("dense", "fulltext")) {
            assertThat(search(body.formatted(mode, code)).getList("hits"))
                    .as(mode)
                    .isNotEmpty();
            assertThat(search(body.formatted(mode, "NO-SUCH-" + code)).getList("hits"))
                    .as(mode)
                    .isEmpty();
        }
    }

    @Test
    void diversifyKeepsNearDuplicatesFromCrowdingTheTop() {
        String twice = IndexFixtures.ROBOTICS + "\n## Odometry again\n\n"
                + "Odometry estimates the robot's position by integrating wheel encoder ticks over time. Errors accumulate, so the\n"
                + "estimate drifts and must be corrected with other sensors.\n";
        String[] c = IndexFixtures.indexedChapter(pool, worker, twice);
        String body =
                "{\"query\":\"odometry drift from wheel encoders\",\"mode\":\"dense\",\"limit\":2,\"diversify\":%s,"
                        + "\"filters\":{\"book\":\"" + c[0] + "\"}}";
        List<String> plain = search(body.formatted("false")).getList("hits.sectionTitle");
        List<String> diverse = search(body.formatted("true")).getList("hits.sectionTitle");
        assertThat(plain).containsExactlyInAnyOrder("Odometry", "Odometry again");
        assertThat(diverse).hasSize(2).containsAnyOf("Odometry", "Odometry again");
        assertThat(diverse)
                .doesNotContainSequence("Odometry", "Odometry again")
                .doesNotContainSequence("Odometry again", "Odometry");
    }

    @Test
    void scoreThresholdDropsWeakHits() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        JsonPath result = search(
                "{\"query\":\"lidar laser ranges\",\"mode\":\"dense\",\"scoreThreshold\":0.99,\"filters\":{\"book\":\""
                        + c[0] + "\"}}");
        assertThat(result.getList("hits")).isEmpty();
    }

    @Test
    void editingAChapterReembedsOnlyChangedPassagesAndDropsStaleOnes() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        List<String> before = chunkVersions(c[2]);
        String edited = IndexFixtures.ROBOTICS.replace(
                "A lidar measures distances with laser pulses", "A sonar measures distances with sound pulses");
        CatalogueFixtures.putChapter(c[0], c[1], edited).statusCode(200);
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(c[2]));
        List<String> after = chunkVersions(c[2]);
        assertThat(after).hasSameSizeAs(before);
        // Same ids and same row versions (xmin): the unchanged passages were not even rewritten.
        assertThat(after.subList(0, after.size() - 1)).isEqualTo(before.subList(0, before.size() - 1));
        assertThat(after.get(after.size() - 1)).isNotEqualTo(before.get(before.size() - 1));
        JsonPath lidar = search(
                "{\"query\":\"lidar laser pulses\",\"mode\":\"fulltext\",\"filters\":{\"book\":\"" + c[0] + "\"}}");
        assertThat(lidar.getList("hits.text", String.class)).noneMatch(t -> t.contains("laser pulses"));
        JsonPath sonar =
                search("{\"query\":\"sonar sound pulses\",\"mode\":\"dense\",\"limit\":1,\"filters\":{\"book\":\""
                        + c[0] + "\"}}");
        assertThat(sonar.getString("hits[0].text")).contains("sonar");
    }

    @Test
    void insertingASectionShiftsEveryLaterPassageWithoutCollisions() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        List<String> before = chunkVersions(c[2]);
        String edited = IndexFixtures.ROBOTICS.replace("## Differential drive", """
                ## Safety

                Stop the motors before touching a robot.

                ## Differential drive""");
        CatalogueFixtures.putChapter(c[0], c[1], edited).statusCode(200);
        // Would time out if the shifted ordinals collided on (chapter_id, ordinal) and the reconcile kept failing.
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(c[2]));
        List<String> after = chunkVersions(c[2]);
        assertThat(after).hasSize(before.size() + 1);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        assertThat(after.subList(2, after.size())).doesNotContainAnyElementsOf(before);
        assertThat(ordinals(c[2]))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, after.size())
                        .boxed()
                        .toList());
        JsonPath odometry =
                search("{\"query\":\"wheel encoder ticks\",\"mode\":\"fulltext\",\"limit\":1,\"filters\":{\"book\":\""
                        + c[0] + "\"}}");
        assertThat(odometry.getString("hits[0].sectionTitle")).isEqualTo("Odometry");
        assertThat(odometry.getInt("hits[0].sectionNumber")).isEqualTo(4);
    }

    private List<String> chunkIds(String chapterId) {
        return chunkVersions(chapterId).stream()
                .map(v -> v.substring(0, v.indexOf('@')))
                .toList();
    }

    /** "id@xmin" per chunk in order: a new row version shows as a new xmin. */
    private List<String> chunkVersions(String chapterId) {
        List<String> ids = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT id, xmin::text AS version FROM chunks WHERE chapter_id = $1 ORDER BY ordinal")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(chapterId)))
                .await()
                .indefinitely()
                .forEach(r -> ids.add(r.getUUID(0) + "@" + r.getString("version")));
        return ids;
    }

    private List<Integer> ordinals(String chapterId) {
        List<Integer> out = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT ordinal FROM chunks WHERE chapter_id = $1 ORDER BY ordinal")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(chapterId)))
                .await()
                .indefinitely()
                .forEach(r -> out.add(r.getInteger(0)));
        return out;
    }

    @Test
    void softDeletedChaptersLeaveTheIndexAndComeBackOnRestoreWithoutEmbedding() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        String dense = IndexFixtures.searchBody("laser range scan", "dense", c[0]);
        assertThat(search(dense).getList("hits")).isNotEmpty();

        given().when()
                .delete("/api/v1/books/{book}/chapters/{chapter}", c[0], c[1])
                .then()
                .statusCode(204);
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(c[2]));
        assertThat(search(dense).getList("hits")).isEmpty();
        assertThat(IndexFixtures.chunkCount(pool, c[2]))
                .as("chunks are kept for a restore")
                .isPositive();
        List<String> kept = chunkIds(c[2]);

        given().when()
                .post("/api/v1/books/{book}/chapters/{chapter}/restore", c[0], c[1])
                .then()
                .statusCode(200);
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(c[2]));
        assertThat(search(dense).getList("hits")).isNotEmpty();
        assertThat(chunkIds(c[2])).isEqualTo(kept);
    }

    @Test
    void draftsAreSearchableByAuthorsOnly() {
        String draft = IndexFixtures.ROBOTICS.replace("difficulty: beginner", "difficulty: beginner\ndraft: true");
        String[] c = IndexFixtures.indexedChapter(pool, worker, draft);
        String body = IndexFixtures.searchBody("differential drive wheels", "hybrid", c[0]);
        assertThat(search(body).getList("hits")).isNotEmpty();
        Callers.Caller learner = Callers.newUser();
        Callers.Caller author = Callers.newUser("author");
        RestAssured.requestSpecification = null; // from here on each request carries its own caller's key
        learner.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .body("hits", org.hamcrest.Matchers.empty());
        author.request()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .body("hits.sectionTitle", hasItem("Differential drive"));
    }

    @Test
    void readersGetTheBestHitsTheyMaySeeWhenDraftsRankAboveThem() {
        // Only the hits returned are hydrated, so drafts filling the top of the ranking must not shorten a reader's
        // list.
        StringBuilder echoes = new StringBuilder(
                IndexFixtures.ROBOTICS.replace("difficulty: beginner", "difficulty: beginner\ndraft: true"));
        for (int i = 1; i <= 6; i++) {
            echoes.append("\n## Differential drive, take ")
                    .append(i)
                    .append(
                            "\n\nA differential drive robot steers by spinning its left and right wheels at different speeds,"
                                    + " variant ")
                    .append(i)
                    .append(".\n");
        }
        String[] draft = IndexFixtures.indexedChapter(pool, worker, echoes.toString());
        String published = CatalogueFixtures.putChapter(
                        draft[0], CatalogueFixtures.uniqueSlug("chapter"), IndexFixtures.ROBOTICS)
                .statusCode(201)
                .extract()
                .path("id");
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(published));
        String body = "{\"query\":\"differential drive wheels\",\"mode\":\"hybrid\",\"limit\":%d,"
                + "\"filters\":{\"book\":\"" + draft[0] + "\"}}";
        JsonPath all = search(body.formatted(20));
        List<String> allIds = all.getList("hits.chunkId");
        List<String> allChapters = all.getList("hits.chapterId");
        assertThat(allChapters.subList(0, 6)).as("drafts rank first").containsOnly(draft[2]);
        List<String> visible = new java.util.ArrayList<>();
        for (int i = 0; i < allIds.size(); i++) {
            if (allChapters.get(i).equals(published)) {
                visible.add(allIds.get(i));
            }
        }
        assertThat(visible).hasSizeGreaterThanOrEqualTo(3);

        RestAssured.requestSpecification = null; // from here on the learner's key
        List<String> learnerIds = Callers.newUser()
                .request()
                .contentType(ContentType.JSON)
                .body(body.formatted(3))
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("hits.chunkId");
        assertThat(learnerIds).containsExactlyElementsOf(visible.subList(0, 3));
    }

    @Test
    void publishedContentIsSearchableAnonymouslyAndBadKeysAreRejected() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        String body = IndexFixtures.searchBody("differential drive", "fulltext", c[0]);
        RestAssured.requestSpecification = null; // anonymous from here on
        Callers.anonymous()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(200)
                .body("hits.sectionTitle", hasItem("Differential drive"));
        Callers.anonymous()
                .header("X-Api-Key", "lk_nope_nope")
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void badRequestsAreProblems() {
        for (String body : List.of(
                "{}",
                "{\"query\":\"  \"}",
                "{\"query\":\"x\",\"limit\":0}",
                "{\"query\":\"x\",\"limit\":51}",
                "{\"query\":\"x\",\"mode\":\"semantic\"}",
                "{\"query\":\"x\",\"scoreThreshold\":2}",
                "{\"query\":\"x\",\"filters\":{\"difficulty\":[\"expert\"]}}",
                "{\"query\":\"x\",\"filters\":{\"sections\":[0]}}",
                "{\"query\":\"x\",\"filters\":{\"book\":\"Not A Slug\"}}",
                "{\"query\":\"x\",\"unknown\":1}",
                "not json")) {
            given().contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post("/api/v1/search")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400));
        }
        given().contentType(ContentType.JSON)
                .body("{\"query\":\"x\",\"filters\":{\"book\":\"no-such-book-anywhere\"}}")
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no-such-book-anywhere"));
        String book = CatalogueFixtures.newBook();
        given().contentType(ContentType.JSON)
                .body("{\"query\":\"x\",\"filters\":{\"book\":\"" + book + "\",\"chapters\":[\"missing-one\"]}}")
                .when()
                .post("/api/v1/search")
                .then()
                .statusCode(404)
                .body("detail", containsString("missing-one"));
    }

    @Test
    void contextPacksFitTheBudgetWithNumberedSourcesAndNoDuplicates() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        JsonPath pack = given().contentType(ContentType.JSON)
                .body(
                        "{\"query\":\"How do robots correct odometry drift?\",\"tokenBudget\":120,\"filters\":{\"book\":\""
                                + c[0] + "\"}}")
                .when()
                .post("/api/v1/search/context")
                .then()
                .statusCode(200)
                .body("tokensUsed", lessThanOrEqualTo(120))
                .body("tokenBudget", equalTo(120))
                .extract()
                .jsonPath();
        List<Integer> numbers = pack.getList("sources.number", Integer.class);
        assertThat(numbers).isNotEmpty();
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(i + 1);
            assertThat(pack.getString("context")).contains("[" + (i + 1) + "] ");
        }
        assertThat(pack.getList("passages.source", Integer.class)).isSubsetOf(numbers);
        assertThat(pack.getList("passages.chunkId")).doesNotHaveDuplicates();
        assertThat(pack.getList("sources.anchor", String.class)).allMatch(a -> !a.isBlank());

        JsonPath roomy = given().contentType(ContentType.JSON)
                .body(
                        "{\"query\":\"How do robots correct odometry drift?\",\"tokenBudget\":4000,\"filters\":{\"book\":\""
                                + c[0] + "\"}}")
                .when()
                .post("/api/v1/search/context")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(roomy.getList("passages"))
                .hasSizeGreaterThan(pack.getList("passages").size());
        assertThat(roomy.getString("context")).contains("Odometry").contains("Lidar");

        for (String bad : List.of(
                "{\"query\":\"x\",\"tokenBudget\":10}",
                "{\"tokenBudget\":500}",
                "{\"query\":\"x\",\"tokenBudget\":100000}")) {
            given().contentType(ContentType.JSON)
                    .body(bad)
                    .when()
                    .post("/api/v1/search/context")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void contextPacksNeedCredentialsOnlyWhenTheKeyIsBad() {
        RestAssured.requestSpecification = null; // anonymous
        Callers.anonymous()
                .header("X-Api-Key", "lk_bad_key")
                .contentType(ContentType.JSON)
                .body("{\"query\":\"x\"}")
                .when()
                .post("/api/v1/search/context")
                .then()
                .statusCode(401);
        Callers.anonymous()
                .contentType(ContentType.JSON)
                .body("{\"query\":\"robots\",\"tokenBudget\":200}")
                .when()
                .post("/api/v1/search/context")
                .then()
                .statusCode(200)
                .body("tokensUsed", lessThanOrEqualTo(200))
                .body("sources.number", everyItem(not(equalTo(0))));
    }
}
