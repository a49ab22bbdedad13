package dev.lectern.mcp;

import static dev.lectern.mcp.McpClients.asAdmin;
import static dev.lectern.mcp.McpClients.assertToolError;
import static dev.lectern.mcp.McpClients.call;
import static dev.lectern.mcp.McpClients.structured;
import static dev.lectern.mcp.McpClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lectern.catalogue.CatalogueFixtures;
import dev.lectern.index.IndexFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.progress.ProgressFixtures;
import dev.lectern.support.Callers;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MCP server as an agent meets it: the official SDK's client over Streamable HTTP against the running service,
 * every tool (happy path, bad arguments, no credentials, another learner's data) and the chapter resource.
 */
@QuarkusTest
class McpServerTest {

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    private final McpClients clients = new McpClients();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    McpSyncClient connect(Map<String, String> headers) {
        return clients.connect(headers);
    }

    McpSyncClient as(Callers.Caller caller) {
        return clients.as(caller);
    }

    @Test
    void anAgentInitialisesAndSeesEveryToolWithASchemaAndTheChapterResource() {
        McpSyncClient client = connect(Map.of());

        assertThat(client.getServerInfo().name()).isEqualTo("lectern");
        assertThat(client.getCurrentInitializationResult().protocolVersion()).isNotBlank();
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools)
                .extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrder(
                        "search_passages",
                        "get_context_pack",
                        "read_chapter",
                        "read_section",
                        "list_books",
                        "list_chapters",
                        "get_due_reviews",
                        "record_review",
                        "get_reading_progress",
                        "get_mastery");
        for (McpSchema.Tool tool : tools) {
            assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
            assertThat(tool.inputSchema()).as(tool.name()).containsEntry("type", "object");
            assertThat(tool.inputSchema()).as(tool.name()).containsEntry("additionalProperties", false);
        }
        assertThat(client.listResourceTemplates().resourceTemplates())
                .extracting(McpSchema.ResourceTemplate::uriTemplate)
                .containsExactly("lectern://books/{book}/chapters/{chapter}");
    }

    @Test
    void searchAndContextPacksCiteTheRightSection() {
        String[] c = asAdmin(() -> IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS));
        McpSyncClient client = connect(Map.of()); // published content is public

        McpSchema.CallToolResult search = call(
                client,
                "search_passages",
                Map.of(
                        "query",
                        "How does a robot estimate its position from wheel encoders?",
                        "book",
                        c[0],
                        "limit",
                        3));
        Map<String, Object> hits = structured(search);
        @SuppressWarnings("unchecked")
        Map<String, Object> top = ((List<Map<String, Object>>) hits.get("hits")).get(0);
        assertThat(top)
                .containsEntry("book", c[0])
                .containsEntry("chapter", c[1])
                .containsEntry("chapterId", c[2])
                .containsEntry("sectionNumber", 3)
                .containsEntry("sectionTitle", "Odometry")
                .containsEntry("anchor", "odometry");
        assertThat(text(search))
                .startsWith("[1] ")
                .contains("Odometry")
                .contains("chapter " + c[1])
                .contains("encoder");

        McpSchema.CallToolResult pack = call(
                client,
                "get_context_pack",
                Map.of(
                        "query",
                        "Why does odometry drift?",
                        "tokenBudget",
                        300,
                        "book",
                        c[0],
                        "chapters",
                        List.of(c[1])));
        Map<String, Object> packed = structured(pack);
        assertThat((String) packed.get("context")).contains("[1]");
        assertThat((List<?>) packed.get("sources")).isNotEmpty();
        assertThat((Integer) packed.get("tokensUsed")).isLessThanOrEqualTo(300);
        assertThat(text(pack)).contains("Sources:\n[1] ").contains("chapter " + c[1]);
    }

    @Test
    void searchArgumentsAreCheckedAsTheRestApiChecksThem() {
        McpSyncClient client = connect(Map.of());

        assertToolError(call(client, "search_passages", Map.of("query", " ")), "query");
        assertToolError(call(client, "search_passages", Map.of("query", "x", "limit", 500)), "limit");
        assertToolError(call(client, "search_passages", Map.of("query", "x", "book", "../etc")), "book");
        assertToolError(call(client, "search_passages", Map.of("query", "x", "mode", "psychic")), "mode");
        assertToolError(call(client, "search_passages", Map.of("query", "x", "colour", "red")), "colour");
        assertToolError(call(client, "get_context_pack", Map.of("query", "x", "tokenBudget", 10)), "tokenBudget");
        assertToolError(call(client, "get_context_pack", Map.of()), "query");
        assertToolError(
                call(client, "search_passages", Map.of("query", "x", "book", "no-such-book-" + UUID.randomUUID())),
                "Not found (404)");
    }

    @Test
    void catalogueToolsListAndReadBooksChaptersAndSections() {
        ProgressFixtures.Book book = asAdmin(() -> ProgressFixtures.publishedBook(1, 1));
        McpSyncClient client = connect(Map.of());

        Map<String, Object> chapters = structured(call(client, "list_chapters", Map.of("book", book.slug())));
        assertThat((List<?>) chapters.get("items")).hasSize(2);
        assertThat(text(call(client, "list_chapters", Map.of("book", book.slug()))))
                .contains("1. Chapter 1 (c1, beginner)");
        McpSchema.CallToolResult books = call(client, "list_books", Map.of("limit", 100));
        assertThat(structured(books)).containsKey("items");

        McpSchema.CallToolResult bySlug = call(client, "read_chapter", Map.of("book", book.slug(), "chapter", "c2"));
        assertThat(structured(bySlug)).containsEntry("slug", "c2").containsEntry("book", book.slug());
        assertThat(text(bySlug))
                .startsWith("# Chapter 2\n")
                .contains("## Part")
                .contains("Source: book " + book.slug());
        McpSchema.CallToolResult byId = call(
                client,
                "read_chapter",
                Map.of("book", book.slug(), "chapter", book.chapterIds().get(1).toString()));
        assertThat(structured(byId)).containsEntry("slug", "c2");

        McpSchema.CallToolResult section =
                call(client, "read_section", Map.of("book", book.slug(), "chapter", "c1", "section", 1));
        assertThat(text(section)).startsWith("## Part\n").contains("section 1 \"Part\" (#part)");
        assertThat(structured(section)).containsEntry("chapter", "c1");

        assertToolError(
                call(client, "read_section", Map.of("book", book.slug(), "chapter", "c1", "section", 9)),
                "no section 9");
        assertToolError(call(client, "read_chapter", Map.of("book", book.slug(), "chapter", "c9")), "Not found (404)");
        assertToolError(call(client, "read_chapter", Map.of("book", book.slug())), "chapter");
        assertToolError(call(client, "list_chapters", Map.of("book", book.slug(), "difficulty", "hard")), "difficulty");
    }

    @Test
    void aChapterIsAResourceAClientCanAttach() {
        ProgressFixtures.Book book = asAdmin(() -> ProgressFixtures.publishedBook(1));
        McpSyncClient client = connect(Map.of());

        String uri = "lectern://books/" + book.slug() + "/chapters/c1";
        McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest(uri));
        McpSchema.TextResourceContents contents =
                (McpSchema.TextResourceContents) read.contents().get(0);
        assertThat(contents.uri()).isEqualTo(uri);
        assertThat(contents.mimeType()).isEqualTo("text/markdown");
        assertThat(contents.text()).startsWith("# Chapter 1\n").contains("## Part");

        assertThatThrownBy(() -> client.readResource(
                        new McpSchema.ReadResourceRequest("lectern://books/" + book.slug() + "/chapters/c9")))
                .hasMessageContaining("Not found");
        assertThatThrownBy(() -> client.readResource(new McpSchema.ReadResourceRequest("lectern://books/x")))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void anonymousAndLearnerSessionsSeeNoDrafts() {
        String draft = asAdmin(() -> {
            String slug = CatalogueFixtures.newBook(false);
            CatalogueFixtures.putChapter(slug, "secret", CatalogueFixtures.chapter("Secret plans", 1, "beginner", 1))
                    .statusCode(201);
            return slug;
        });

        for (McpSyncClient reader : List.of(connect(Map.of()), as(Callers.newUser()))) {
            assertToolError(
                    call(reader, "read_chapter", Map.of("book", draft, "chapter", "secret")), "Not found (404)");
            assertThat(text(call(reader, "list_books", Map.of("limit", 100)))).doesNotContain(draft);
        }
        McpSyncClient author = as(asAdmin(() -> Callers.newUser("author")));
        assertThat(structured(call(author, "read_chapter", Map.of("book", draft, "chapter", "secret"))))
                .containsEntry("title", "Secret plans");
    }

    @Test
    void learnerToolsWorkForALearnerOnlyAndOnTheirOwnData() {
        Callers.Caller learner = asAdmin(() -> Callers.newUser());
        Callers.Caller other = asAdmin(() -> Callers.newUser());
        String card = ProgressFixtures.newCard(learner, "What is odometry?");
        String othersCard = ProgressFixtures.newCard(other, "Not yours");
        McpSyncClient mine = as(learner);

        McpSchema.CallToolResult due = call(mine, "get_due_reviews", Map.of());
        assertThat(text(due))
                .contains("item " + card)
                .contains("What is odometry?")
                .doesNotContain(othersCard);

        Instant reviewedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> review = Map.of("itemId", card, "rating", "good", "reviewedAt", reviewedAt.toString());
        McpSchema.CallToolResult first = call(mine, "record_review", review);
        assertThat(structured(first)).containsEntry("replayed", false);
        assertThat(text(first)).startsWith("Recorded. Next review due ");
        McpSchema.CallToolResult retry = call(mine, "record_review", review);
        assertThat(structured(retry)).containsEntry("replayed", true);
        assertThat(text(retry)).startsWith("Already recorded");
        learner.request()
                .when()
                .get("/api/v1/me/review-items/{id}", card)
                .then()
                .statusCode(200)
                .body("reps", org.hamcrest.Matchers.is(1));

        McpSchema.CallToolResult keyed = call(
                mine, "record_review", Map.of("itemId", card, "rating", "easy", "idempotencyKey", "retry-" + card));
        assertThat(structured(keyed)).containsEntry("replayed", false);
        assertThat(structured(call(
                        mine,
                        "record_review",
                        Map.of("itemId", card, "rating", "easy", "idempotencyKey", "retry-" + card))))
                .containsEntry("replayed", true);
        learner.request()
                .when()
                .get("/api/v1/me/review-items/{id}", card)
                .then()
                .body("reps", org.hamcrest.Matchers.is(2));

        assertToolError(call(mine, "record_review", Map.of("itemId", othersCard, "rating", "good")), "Not found (404)");
        assertToolError(call(mine, "record_review", Map.of("itemId", card, "rating", "meh")), "rating");
        assertToolError(call(mine, "record_review", Map.of("itemId", "not-a-uuid", "rating", "good")), "itemId");

        ProgressFixtures.Book book = asAdmin(() -> ProgressFixtures.publishedBook(1, 1));
        learner.request()
                .contentType("application/json")
                .body("{\"percent\":100}")
                .when()
                .put("/api/v1/me/progress/chapters/{id}", book.chapterIds().get(0))
                .then()
                .statusCode(200);
        McpSchema.CallToolResult progress = call(mine, "get_reading_progress", Map.of("book", book.slug()));
        assertThat(structured(progress)).containsEntry("completedChapters", 1).containsEntry("totalChapters", 2);
        assertThat(text(call(mine, "get_reading_progress", Map.of()))).contains("Chapter 1 (c1): 100%, completed");
        assertToolError(call(mine, "get_reading_progress", Map.of("book", "no-such-book-zz")), "404");

        String framework = asAdmin(() -> CatalogueFixtures.frameworkWithOutcomes("MCP-1"));
        McpSchema.CallToolResult mastery = call(mine, "get_mastery", Map.of("framework", framework));
        assertThat(structured(mastery)).containsEntry("framework", framework);
        assertThat(text(mastery)).contains("MCP-1: not_started");
        assertToolError(call(mine, "get_mastery", Map.of()), "framework");

        McpSyncClient anonymous = connect(Map.of());
        McpSyncClient author = as(asAdmin(() -> Callers.newUser("author")));
        for (McpSyncClient notALearner : List.of(anonymous, author)) {
            assertToolError(call(notALearner, "get_due_reviews", Map.of()), "Forbidden (403)", "for a learner");
            assertToolError(call(notALearner, "record_review", Map.of("itemId", card, "rating", "good")), "403");
            assertToolError(call(notALearner, "get_reading_progress", Map.of()), "403");
            assertToolError(call(notALearner, "get_mastery", Map.of("framework", framework)), "403");
        }
    }

    @Test
    void aServiceActsForALearnerWithOnBehalfOf() {
        Callers.Caller learner = asAdmin(() -> Callers.newUser());
        Callers.Caller service = asAdmin(() -> Callers.newUser("service"));
        String card = ProgressFixtures.newCard(learner, "Delegated card");

        McpSyncClient delegate = connect(Map.of(
                "X-Api-Key", service.apiKey(), "X-On-Behalf-Of", learner.id().toString()));
        assertThat(text(call(delegate, "get_due_reviews", Map.of()))).contains(card);

        McpSyncClient serviceAlone = as(service);
        assertToolError(call(serviceAlone, "get_due_reviews", Map.of()), "403");
    }

    @Test
    void badCredentialsAreRefusedBeforeASessionStarts() {
        assertThatThrownBy(() -> connect(Map.of("X-Api-Key", "lk_wrong_" + UUID.randomUUID())))
                .isInstanceOf(RuntimeException.class);
        Callers.Caller learner = asAdmin(() -> Callers.newUser());
        assertThatThrownBy(() -> connect(Map.of(
                        "X-Api-Key",
                        learner.apiKey(),
                        "X-On-Behalf-Of",
                        UUID.randomUUID().toString())))
                .isInstanceOf(RuntimeException.class);
    }
}
