package dev.lectern.retriever;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.query.Query;
import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.IndexFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LangChain4j retriever against the running service, over its real HTTP port, as a chat service would use it:
 * passages with their citations, filters, Lectern's problems thrown with what they say, and the caller's access
 * (anonymous, a key, a service acting for a learner) deciding what a pack may hold. Fixtures are written through the
 * API as the admin (RestAssured); the retriever sends only its own credentials.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class LecternContentRetrieverTest {

    private static final Query ODOMETRY = Query.from("How does odometry estimate the robot's position?");
    private static final String ENCODERS = """
            ---
            title: Wheel Encoders
            sidebar_position: 2
            difficulty: beginner
            ---
            Encoders count how far each wheel has turned.

            ## Ticks per revolution

            An optical encoder counts ticks as slots in a disc pass its sensor; the ticks per revolution and the wheel
            radius turn a count into distance travelled, the input odometry integrates.
            """;

    @TestHTTPResource("/")
    URI server;

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @Test
    void eachPassageOfThePackIsAContentCarryingItsCitation() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        LecternFilters filters = LecternFilters.book(c[0]);

        List<Content> contents =
                anonymous().filters(filters).tokenBudget(400).build().retrieve(ODOMETRY);

        JsonPath pack = given().contentType(ContentType.JSON)
                .body("{\"query\":\"" + ODOMETRY.text() + "\",\"tokenBudget\":400,\"filters\":{\"book\":\"" + c[0]
                        + "\"}}")
                .when()
                .post("/api/v1/search/context")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(contents)
                .extracting(content -> content.textSegment().text())
                .as("the pack's passages, in its order")
                .containsExactlyElementsOf(pack.getList("passages.text", String.class))
                .isNotEmpty();

        Content first = contents.get(0);
        Metadata cited = first.textSegment().metadata();
        assertThat(first.textSegment().text()).contains("Odometry estimates");
        assertThat(cited.getInteger(LecternContentRetriever.SOURCE)).isEqualTo(1);
        assertThat(cited.getString(LecternContentRetriever.BOOK)).isEqualTo(c[0]);
        assertThat(cited.getString(LecternContentRetriever.BOOK_TITLE)).isEqualTo("Test book");
        assertThat(cited.getString(LecternContentRetriever.CHAPTER)).isEqualTo(c[1]);
        assertThat(cited.getUUID(LecternContentRetriever.CHAPTER_ID)).isEqualTo(UUID.fromString(c[2]));
        assertThat(cited.getString(LecternContentRetriever.CHAPTER_TITLE)).isEqualTo("Robot Motion");
        assertThat(cited.getInteger(LecternContentRetriever.SECTION)).isEqualTo(3);
        assertThat(cited.getString(LecternContentRetriever.SECTION_TITLE)).isEqualTo("Odometry");
        assertThat(cited.getString(LecternContentRetriever.ANCHOR)).isEqualTo("odometry");
        assertThat(cited.getString(LecternContentRetriever.HEADING_PATH)).isEqualTo("Robot Motion › Odometry");
        assertThat(cited.getString(LecternContentRetriever.CITATION))
                .isEqualTo("[1] Test book — Robot Motion › Odometry")
                .isEqualTo(pack.getString("context").lines().findFirst().orElseThrow());
        assertThat(cited.getString(LecternContentRetriever.URL))
                .isEqualTo(server.resolve("/api/v1/books/" + c[0] + "/chapters/" + c[1]) + "#odometry");
        assertThat(cited.getUUID(LecternContentRetriever.CHUNK_ID))
                .isEqualTo(UUID.fromString(pack.getString("passages[0].chunkId")));
        assertThat(cited.getInteger(LecternContentRetriever.TOKENS)).isPositive();
        assertThat(cited.getDouble(LecternContentRetriever.SCORE)).isPositive();
        assertThat(first.metadata())
                .containsEntry(ContentMetadata.SCORE, cited.getDouble(LecternContentRetriever.SCORE))
                .containsEntry(
                        ContentMetadata.EMBEDDING_ID,
                        cited.getUUID(LecternContentRetriever.CHUNK_ID).toString());
    }

    @Test
    void filtersNarrowThePackToWhatWasAskedFor() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        String other = CatalogueFixtures.uniqueSlug("chapter");
        String otherId = CatalogueFixtures.putChapter(c[0], other, ENCODERS)
                .statusCode(201)
                .extract()
                .path("id");
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(otherId));

        List<Content> both =
                anonymous().filters(LecternFilters.book(c[0])).build().retrieve(ODOMETRY);
        List<Content> oneChapter = anonymous()
                .filters(LecternFilters.book(c[0]).withChapters(other))
                .build()
                .retrieve(ODOMETRY);
        List<Content> oneSection = anonymous()
                .filters(query -> LecternFilters.book(c[0]).withSections(4))
                .build()
                .retrieve(ODOMETRY);
        List<Content> noneAdvanced = anonymous()
                .filters(LecternFilters.book(c[0]).withDifficulty("advanced"))
                .build()
                .retrieve(ODOMETRY);

        assertThat(both).extracting(this::chapter).contains(c[1], other);
        assertThat(oneChapter).isNotEmpty().extracting(this::chapter).containsOnly(other);
        assertThat(oneSection)
                .isNotEmpty()
                .extracting(
                        content -> content.textSegment().metadata().getString(LecternContentRetriever.SECTION_TITLE))
                .containsOnly("Lidar scans");
        assertThat(noneAdvanced).as("both chapters are for beginners").isEmpty();
    }

    @Test
    void aBadRequestIsThrownWithTheProblemLecternSent() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);

        assertThatThrownBy(() -> anonymous().tokenBudget(10).build().retrieve(ODOMETRY))
                .isInstanceOfSatisfying(LecternRetrievalException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.type()).startsWith("https://lectern.dev/problems/");
                    assertThat(e.title()).isNotBlank();
                    assertThat(e.errors()).anyMatch(error -> error.startsWith("tokenBudget: "));
                    assertThat(e.getMessage())
                            .startsWith("Lectern answered 400 ")
                            .contains("tokenBudget");
                });
        assertThatThrownBy(() -> anonymous()
                        .filters(LecternFilters.book("Not A Slug"))
                        .build()
                        .retrieve(ODOMETRY))
                .isInstanceOfSatisfying(LecternRetrievalException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).anyMatch(error -> error.contains("book"));
                });
        assertThatThrownBy(() -> anonymous()
                        .filters(LecternFilters.book(c[0]).withChapters("no-such-chapter"))
                        .build()
                        .retrieve(ODOMETRY))
                .isInstanceOfSatisfying(LecternRetrievalException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).startsWith("Lectern answered 404 ");
                });
    }

    @Test
    void theCallersAccessDecidesWhatAPackHolds() {
        String draftBook = CatalogueFixtures.newBook(false);
        String chapterId = CatalogueFixtures.putChapter(draftBook, "motion", IndexFixtures.ROBOTICS)
                .statusCode(201)
                .extract()
                .path("id");
        IndexFixtures.awaitIndexed(pool, worker, UUID.fromString(chapterId));
        LecternFilters draft = LecternFilters.book(draftBook);
        Callers.Caller author = Callers.newUser("author");
        Callers.Caller service = Callers.newUser("service");
        Callers.Caller learner = Callers.newUser();

        assertThat(retriever().apiKey(author.apiKey()).filters(draft).build().retrieve(ODOMETRY))
                .as("an author reads drafts")
                .isNotEmpty();
        assertStatus(anonymous().filters(draft), 404);
        assertStatus(
                retriever()
                        .apiKey(service.apiKey())
                        .onBehalfOf(learner.id().toString())
                        .filters(draft),
                404);
        assertStatus(retriever().apiKey("lk_not-a-key"), 401);
        assertStatus(retriever().bearerToken("not.a.jwt"), 401);
        assertStatus(
                retriever()
                        .apiKey(learner.apiKey())
                        .onBehalfOf(query -> author.id().toString()),
                403);
    }

    @Test
    void aServiceActsForTheLearnerOfEachQuery() {
        String[] c = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        Callers.Caller service = Callers.newUser("service");
        Callers.Caller learner = Callers.newUser();
        LecternContentRetriever retriever = retriever()
                .apiKey(service.apiKey())
                .onBehalfOf(query -> query.metadata() == null
                        ? null
                        : query.metadata().chatMemoryId().toString())
                .filters(LecternFilters.book(c[0]))
                .build();

        Query asked = Query.from(
                ODOMETRY.text(),
                dev.langchain4j.rag.query.Metadata.from(
                        dev.langchain4j.data.message.UserMessage.from(ODOMETRY.text()), learner.id(), List.of()));
        Query forNobody = Query.from(
                ODOMETRY.text(),
                dev.langchain4j.rag.query.Metadata.from(
                        dev.langchain4j.data.message.UserMessage.from(ODOMETRY.text()), UUID.randomUUID(), List.of()));

        assertThat(retriever.retrieve(asked)).isNotEmpty();
        assertThatThrownBy(() -> retriever.retrieve(forNobody))
                .isInstanceOfSatisfying(LecternRetrievalException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("X-On-Behalf-Of");
                });
    }

    @Test
    void noAnswerIsThrownWithStatusZeroAndItsCause() {
        LecternContentRetriever unreachable = LecternContentRetriever.builder()
                .baseUrl("http://127.0.0.1:9")
                .timeout(Duration.ofSeconds(2))
                .build();

        assertThatThrownBy(() -> unreachable.retrieve(ODOMETRY))
                .isInstanceOfSatisfying(LecternRetrievalException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.getCause()).isNotNull();
                    assertThat(e.getMessage()).startsWith("Lectern did not answer: ");
                });
    }

    @Test
    void aBuilderThatCannotWorkFailsAtBuild() {
        assertThatIllegalStateException()
                .isThrownBy(() -> LecternContentRetriever.builder().build())
                .withMessageContaining("baseUrl");
        assertThatIllegalStateException()
                .isThrownBy(() -> LecternContentRetriever.builder()
                        .baseUrl("ftp://lectern.example.com")
                        .build())
                .withMessageContaining("http or https");
        assertThatIllegalStateException()
                .isThrownBy(() -> retriever().apiKey("k").bearerToken("t").build())
                .withMessageContaining("not both");
        assertThatIllegalStateException()
                .isThrownBy(() ->
                        retriever().onBehalfOf(UUID.randomUUID().toString()).build())
                .withMessageContaining("onBehalfOf");
    }

    private LecternContentRetriever.Builder retriever() {
        return LecternContentRetriever.builder().baseUrl(server).timeout(Duration.ofSeconds(30));
    }

    private LecternContentRetriever.Builder anonymous() {
        return retriever();
    }

    private String chapter(Content content) {
        return content.textSegment().metadata().getString(LecternContentRetriever.CHAPTER);
    }

    private static void assertStatus(LecternContentRetriever.Builder builder, int status) {
        assertThatThrownBy(() -> builder.build().retrieve(ODOMETRY))
                .isInstanceOfSatisfying(
                        LecternRetrievalException.class,
                        e -> assertThat(e.status()).as(e.getMessage()).isEqualTo(status));
    }
}
