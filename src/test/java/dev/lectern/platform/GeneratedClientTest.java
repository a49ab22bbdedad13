package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lectern.index.IndexFixtures;
import dev.lectern.index.pipeline.IndexWorker;
import dev.lectern.openapi.client.ApiClient;
import dev.lectern.openapi.client.ApiException;
import dev.lectern.openapi.client.api.ChaptersApi;
import dev.lectern.openapi.client.api.ProgressApi;
import dev.lectern.openapi.client.api.SearchApi;
import dev.lectern.openapi.client.model.Chapter;
import dev.lectern.openapi.client.model.ChapterProgress;
import dev.lectern.openapi.client.model.ContextPack;
import dev.lectern.openapi.client.model.ContextRequest;
import dev.lectern.openapi.client.model.Mode;
import dev.lectern.openapi.client.model.Position;
import dev.lectern.openapi.client.model.SearchFilters;
import dev.lectern.openapi.client.model.SearchHit;
import dev.lectern.openapi.client.model.SearchRequest;
import dev.lectern.openapi.client.model.SearchResponse;
import dev.lectern.openapi.client.model.Section;
import dev.lectern.openapi.client.model.UpdateProgress;
import dev.lectern.support.AsAdmin;
import dev.lectern.support.Callers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document is usable, not only valid: the build generates a Java client from it (openapi-generator's
 * {@code java} generator, {@code native} library: java.net.http and Jackson; see pom.xml), and this test drives the
 * running service through that client only, by operationId: {@code searchPassages}, {@code getContextPack},
 * {@code getChapter} and, with a learner's API key, {@code putReadingProgress}. Errors arrive as the document's
 * {@code Problem}. The fixtures are made over plain HTTP as admin.
 */
@QuarkusTest
@ExtendWith(AsAdmin.class)
class GeneratedClientTest {

    @Inject
    Pool pool;

    @Inject
    IndexWorker worker;

    @TestHTTPResource("/")
    URI base;

    @Test
    void aGeneratedClientSearchesPassagesAndReadsTheChapterAHitCites() throws ApiException {
        String[] indexed = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        ApiClient anonymous = client(null);

        SearchResponse found = new SearchApi(anonymous)
                .searchPassages(new SearchRequest()
                        .query("How does a robot estimate its position from wheel encoders?")
                        .mode(Mode.HYBRID)
                        .limit(3)
                        .filters(new SearchFilters().book(indexed[0])));
        assertThat(found.getMode()).isEqualTo(Mode.HYBRID);
        assertThat(found.getHits()).isNotEmpty();
        SearchHit best = found.getHits().get(0);
        assertThat(best.getSectionTitle()).isEqualTo("Odometry");
        assertThat(best.getChapter()).isEqualTo(indexed[1]);
        assertThat(best.getChapterId()).isEqualTo(UUID.fromString(indexed[2]));
        assertThat(best.getHeadingPath()).containsExactly("Robot Motion", "Odometry");
        assertThat(best.getText()).contains("encoder ticks");

        Chapter chapter = new ChaptersApi(anonymous).getChapter(best.getBook(), best.getChapter(), null);
        assertThat(chapter.getId()).isEqualTo(best.getChapterId());
        assertThat(chapter.getTitle()).isEqualTo("Robot Motion");
        assertThat(chapter.getPublishedAt()).isNotNull();
        Section cited = chapter.getSections().get(best.getSectionNumber() - 1);
        assertThat(cited.getTitle()).isEqualTo(best.getSectionTitle());
        assertThat(cited.getAnchor()).isEqualTo(best.getAnchor());

        ContextPack pack = new SearchApi(anonymous)
                .getContextPack(new ContextRequest()
                        .query("How does a lidar correct odometry drift?")
                        .tokenBudget(300)
                        .filters(new SearchFilters().book(indexed[0])));
        assertThat(pack.getTokensUsed()).isBetween(1, 300);
        assertThat(pack.getSources()).isNotEmpty();
        assertThat(pack.getSources().get(0).getChapterId()).isEqualTo(chapter.getId());
        assertThat(pack.getContext()).startsWith("[1] ");
    }

    @Test
    void errorsReachTheClientAsProblems() throws Exception {
        ApiClient anonymous = client(null);

        ApiException missing = catchThrowableOfType(
                ApiException.class,
                () -> new ChaptersApi(anonymous).getChapter("no-such-book-" + UUID.randomUUID(), "intro", null));

        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseHeaders().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith(Problem.MEDIA_TYPE));
        dev.lectern.openapi.client.model.Problem problem = anonymous
                .getObjectMapper()
                .readValue(missing.getResponseBody(), dev.lectern.openapi.client.model.Problem.class);
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getType()).isEqualTo(Problem.TYPE_BASE + "not-found");
    }

    @Test
    void aLearnersKeyWritesReadingProgressThroughTheClient() throws ApiException {
        String[] indexed = IndexFixtures.indexedChapter(pool, worker, IndexFixtures.ROBOTICS);
        UUID chapterId = UUID.fromString(indexed[2]);
        UpdateProgress update = new UpdateProgress()
                .percent(40.0)
                .position(new Position().sectionNumber(2).offset(300))
                .timeSpentSeconds(120)
                .eventId(UUID.randomUUID());

        ChapterProgress progress =
                new ProgressApi(client(Callers.newUser("learner").apiKey())).putReadingProgress(chapterId, update);

        assertThat(progress.getChapterId()).isEqualTo(chapterId);
        assertThat(progress.getPercent()).isEqualTo(40.0);
        assertThat(progress.getPosition().getSectionNumber()).isEqualTo(2);
        assertThat(progress.getTimeSpentSeconds()).isEqualTo(120L);
        assertThat(catchThrowableOfType(
                                ApiException.class,
                                () -> new ProgressApi(client(null)).putReadingProgress(chapterId, update))
                        .getCode())
                .as("without credentials")
                .isEqualTo(401);
    }

    /** A client of the service under test, sending the API key when there is one. */
    private ApiClient client(String apiKey) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.getScheme() + "://" + base.getHost() + ":" + base.getPort());
        if (apiKey != null) {
            client.setRequestInterceptor(request -> request.header("X-Api-Key", apiKey));
        }
        return client;
    }
}
