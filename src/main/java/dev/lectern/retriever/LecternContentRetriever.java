package dev.lectern.retriever;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A LangChain4j {@link ContentRetriever} over Lectern's context packs: each query is one
 * {@code POST /api/v1/search/context}, and each passage of the pack becomes a {@link Content}, in the pack's order
 * (sources numbered by relevance, a source's passages in reading order). The passage text is the segment's text; its
 * metadata says where it comes from, under the keys below, so an answer can cite it:
 *
 * <table>
 *   <caption>TextSegment metadata</caption>
 *   <tr><th>key</th><th>type</th><th>value</th></tr>
 *   <tr><td>{@value #SOURCE}</td><td>Integer</td><td>the pack's source number, the {@code n} of {@code [n]}</td></tr>
 *   <tr><td>{@value #CITATION}</td><td>String</td><td>{@code [n] Book — Chapter › Section}, as the pack's own
 *       context text heads the source</td></tr>
 *   <tr><td>{@value #BOOK}, {@value #BOOK_TITLE}</td><td>String</td><td>book slug and title</td></tr>
 *   <tr><td>{@value #CHAPTER}, {@value #CHAPTER_ID}, {@value #CHAPTER_TITLE}</td><td>String, UUID, String</td>
 *       <td>chapter slug, id and title</td></tr>
 *   <tr><td>{@value #SECTION}, {@value #SECTION_TITLE}, {@value #ANCHOR}</td><td>Integer, String, String</td>
 *       <td>section number, title and anchor</td></tr>
 *   <tr><td>{@value #HEADING_PATH}</td><td>String</td><td>the passage's headings, joined by {@code " › "}</td></tr>
 *   <tr><td>{@value #URL}</td><td>String</td><td>Lectern's chapter resource with the section anchor,
 *       {@code <base>/api/v1/books/<book>/chapters/<chapter>#<anchor>}</td></tr>
 *   <tr><td>{@value #CHUNK_ID}, {@value #SCORE}, {@value #TOKENS}</td><td>UUID, Double, Integer</td>
 *       <td>the passage's id, hybrid score and size in the embedding model's tokens</td></tr>
 * </table>
 *
 * <p>The {@link Content}'s own metadata carries {@link ContentMetadata#SCORE} (the passage's score) and
 * {@link ContentMetadata#EMBEDDING_ID} (its chunk id). An error answer (problem+json) or no answer is thrown as a
 * {@link LecternRetrievalException}. Instances are immutable and thread-safe; build one per configuration and share
 * it.
 */
public final class LecternContentRetriever implements ContentRetriever {

    public static final String SOURCE = "source";
    public static final String CITATION = "citation";
    public static final String BOOK = "book";
    public static final String BOOK_TITLE = "bookTitle";
    public static final String CHAPTER = "chapter";
    public static final String CHAPTER_ID = "chapterId";
    public static final String CHAPTER_TITLE = "chapterTitle";
    public static final String SECTION = "section";
    public static final String SECTION_TITLE = "sectionTitle";
    public static final String ANCHOR = "anchor";
    public static final String HEADING_PATH = "headingPath";
    public static final String URL = "url";
    public static final String CHUNK_ID = "chunkId";
    public static final String SCORE = "score";
    public static final String TOKENS = "tokens";

    static final String ON_BEHALF_OF = "X-On-Behalf-Of";
    private static final String CONTEXT_PATH = "api/v1/search/context";
    /** Lenient reading (fields Lectern adds later are ignored), null fields left out of requests. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    /** How much of an answer that is not a problem (a proxy's HTML page) goes into the exception. */
    private static final int MAX_QUOTED_BODY = 300;

    private final URI base;
    private final URI endpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final String apiKey;
    private final Supplier<String> bearerToken;
    private final Function<Query, String> onBehalfOf;
    private final Integer tokenBudget;
    private final Function<Query, LecternFilters> filters;

    private LecternContentRetriever(Builder builder) {
        String url = builder.baseUrl.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.endpoint = base.resolve(CONTEXT_PATH);
        this.timeout = builder.timeout;
        this.http = builder.httpClient != null
                ? builder.httpClient
                : HttpClient.newBuilder().connectTimeout(timeout).build();
        this.apiKey = builder.apiKey;
        this.bearerToken = builder.bearerToken;
        this.onBehalfOf = builder.onBehalfOf;
        this.tokenBudget = builder.tokenBudget;
        this.filters = builder.filters;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        HttpResponse<String> response = send(request(query));
        if (response.statusCode() / 100 != 2) {
            throw failure(response);
        }
        Pack pack;
        try {
            pack = JSON.readValue(response.body(), Pack.class);
        } catch (JsonProcessingException e) {
            LecternRetrievalException unreadable = new LecternRetrievalException(
                    response.statusCode(),
                    null,
                    null,
                    "not a context pack: " + e.getOriginalMessage(),
                    List.of(),
                    null);
            unreadable.initCause(e);
            throw unreadable;
        }
        return contents(pack);
    }

    private HttpRequest request(Query query) {
        ObjectNode body = JSON.createObjectNode().put("query", query.text());
        if (tokenBudget != null) {
            body.put("tokenBudget", tokenBudget);
        }
        LecternFilters chosen = filters.apply(query);
        if (chosen != null) {
            ObjectNode filterNode = JSON.valueToTree(chosen);
            if (!filterNode.isEmpty()) {
                body.set("filters", filterNode);
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (endpoint.getScheme().equals("http")) {
            // Without TLS there is no ALPN: an HTTP/2-first client would offer an h2c upgrade on every new connection.
            request.version(HttpClient.Version.HTTP_1_1);
        }
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        if (bearerToken != null) {
            String token = bearerToken.get();
            if (token == null || token.isBlank()) {
                // Sending nothing would read as an anonymous caller and hide the fault.
                throw new IllegalStateException("the bearer token supplier gave no token");
            }
            request.header("Authorization", "Bearer " + token);
        }
        String user = onBehalfOf == null ? null : onBehalfOf.apply(query);
        if (user != null && !user.isBlank()) {
            request.header(ON_BEHALF_OF, user);
        }
        return request.build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new LecternRetrievalException("no answer from " + endpoint + " within " + timeout, e);
        } catch (IOException e) {
            throw new LecternRetrievalException("POST " + endpoint + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LecternRetrievalException("interrupted while waiting for " + endpoint, e);
        }
    }

    /** The problem Lectern sent, or for any other answer (a proxy's error page) its status and the start of its body. */
    private static LecternRetrievalException failure(HttpResponse<String> response) {
        int status = response.statusCode();
        Duration retryAfter = response.headers()
                .firstValue("Retry-After")
                .filter(value -> value.matches("\\d{1,9}"))
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
                .orElse(null);
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/problem+json") || type.startsWith("application/json")) {
            try {
                WireProblem problem = JSON.readValue(response.body(), WireProblem.class);
                if (problem.title() != null) {
                    List<String> errors = new ArrayList<>();
                    if (problem.errors() != null) {
                        problem.errors().forEach(e -> errors.add(e.field() + ": " + e.message()));
                    }
                    return new LecternRetrievalException(
                            status, problem.type(), problem.title(), problem.detail(), errors, retryAfter);
                }
            } catch (JsonProcessingException e) {
                // Not a problem after all: reported as any other answer below.
            }
        }
        String body = response.body() == null ? "" : response.body().strip();
        String quoted = body.length() > MAX_QUOTED_BODY ? body.substring(0, MAX_QUOTED_BODY) + "…" : body;
        return new LecternRetrievalException(status, null, null, quoted, List.of(), retryAfter);
    }

    private List<Content> contents(Pack pack) {
        Map<Integer, Source> sources = new HashMap<>();
        if (pack.sources() != null) {
            pack.sources().forEach(source -> sources.put(source.number(), source));
        }
        List<Content> contents = new ArrayList<>();
        if (pack.passages() == null) {
            return contents;
        }
        for (Passage passage : pack.passages()) {
            Metadata metadata = new Metadata()
                    .put(SOURCE, passage.source())
                    .put(SCORE, passage.score())
                    .put(TOKENS, passage.tokens());
            put(metadata, CHUNK_ID, passage.chunkId());
            if (passage.headingPath() != null && !passage.headingPath().isEmpty()) {
                metadata.put(HEADING_PATH, String.join(" › ", passage.headingPath()));
            }
            Source source = sources.get(passage.source());
            if (source != null) {
                describe(metadata, source);
            }
            Map<ContentMetadata, Object> contentMetadata = new HashMap<>();
            contentMetadata.put(ContentMetadata.SCORE, passage.score());
            if (passage.chunkId() != null) {
                contentMetadata.put(
                        ContentMetadata.EMBEDDING_ID, passage.chunkId().toString());
            }
            contents.add(Content.from(TextSegment.from(passage.text(), metadata), contentMetadata));
        }
        return contents;
    }

    private void describe(Metadata metadata, Source source) {
        put(metadata, BOOK, source.book());
        put(metadata, BOOK_TITLE, source.bookTitle());
        put(metadata, CHAPTER, source.chapter());
        put(metadata, CHAPTER_ID, source.chapterId());
        put(metadata, CHAPTER_TITLE, source.chapterTitle());
        metadata.put(SECTION, source.sectionNumber());
        put(metadata, SECTION_TITLE, source.sectionTitle());
        put(metadata, ANCHOR, source.anchor());
        metadata.put(
                CITATION,
                "[" + source.number() + "] " + source.bookTitle() + " — " + source.chapterTitle() + " › "
                        + source.sectionTitle());
        if (source.book() != null && source.chapter() != null) {
            // Slugs are [a-z0-9-] and anchors are slugs too: nothing to escape.
            String url = base.resolve("api/v1/books/" + source.book() + "/chapters/" + source.chapter())
                    .toString();
            metadata.put(URL, source.anchor() == null || source.anchor().isEmpty() ? url : url + "#" + source.anchor());
        }
    }

    /** LangChain4j's Metadata refuses null values: an absent field is left out. */
    private static void put(Metadata metadata, String key, Object value) {
        if (value instanceof String text) {
            metadata.put(key, text);
        } else if (value instanceof UUID id) {
            metadata.put(key, id);
        }
    }

    /**
     * What Lectern sends: ContextPack, ContextSource and ContextPassage of its OpenAPI document. A copy of the wire
     * form, not the service's own records, since client code depends on nothing of Lectern; the retriever's HTTP test,
     * which checks every field it maps, keeps the two in step.
     */
    record Pack(
            String query,
            int tokenBudget,
            int tokensUsed,
            String context,
            List<Source> sources,
            List<Passage> passages) {}

    record Source(
            int number,
            String book,
            String bookTitle,
            String chapter,
            UUID chapterId,
            String chapterTitle,
            int sectionNumber,
            String sectionTitle,
            String anchor,
            double score) {}

    record Passage(int source, UUID chunkId, List<String> headingPath, String text, int tokens, double score) {}

    record WireProblem(String type, String title, Integer status, String detail, List<WireFieldError> errors) {}

    record WireFieldError(String field, String message) {}

    /** Settings of a {@link LecternContentRetriever}; only the base URL is required. */
    public static final class Builder {

        private URI baseUrl;
        private String apiKey;
        private Supplier<String> bearerToken;
        private Function<Query, String> onBehalfOf;
        private Integer tokenBudget;
        private Function<Query, LecternFilters> filters = query -> null;
        private Duration timeout = Duration.ofSeconds(10);
        private HttpClient httpClient;

        private Builder() {}

        /** Where Lectern serves its API, e.g. {@code https://lectern.example.com} (a path prefix is kept). */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl")));
        }

        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** An API key, sent as {@code X-Api-Key}. Without key or token the retriever reads as an anonymous caller. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** A JWT from the platform's auth server, sent as {@code Authorization: Bearer}. */
        public Builder bearerToken(String token) {
            Objects.requireNonNull(token, "token");
            return bearerToken(() -> token);
        }

        /** A JWT asked for on each query, for tokens that expire and are renewed. */
        public Builder bearerToken(Supplier<String> tokens) {
            this.bearerToken = tokens;
            return this;
        }

        /**
         * A service caller acting for this user ({@code X-On-Behalf-Of}): the pack is what that user may read. Needs
         * a service key or token.
         */
        public Builder onBehalfOf(String userId) {
            Objects.requireNonNull(userId, "userId");
            return onBehalfOf(query -> userId);
        }

        /**
         * The user to act for, per query; for a chat service serving many learners, e.g. the chat memory id:
         * {@code query -> query.metadata().chatMemoryId().toString()}. Null or blank sends no header.
         */
        public Builder onBehalfOf(Function<Query, String> userOfQuery) {
            this.onBehalfOf = userOfQuery;
            return this;
        }

        /** Most tokens the pack's passages may take (Lectern's default 1500; it accepts 50 to 32000). */
        public Builder tokenBudget(int tokens) {
            this.tokenBudget = tokens;
            return this;
        }

        /** The same filters for every query. */
        public Builder filters(LecternFilters filters) {
            return filters(query -> filters);
        }

        /** Filters per query, e.g. the book the learner has open. Null means no filter. */
        public Builder filters(Function<Query, LecternFilters> filtersOfQuery) {
            this.filters = Objects.requireNonNull(filtersOfQuery, "filtersOfQuery");
            return this;
        }

        /** How long a query may take, answer included (default 10 s); also the connect timeout of the default client. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** A client of your own (proxy, TLS, executor); its connect timeout is its own. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public LecternContentRetriever build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required");
            }
            String scheme =
                    baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
                throw new IllegalStateException("baseUrl must be an http or https URL, not " + baseUrl);
            }
            if (baseUrl.getQuery() != null || baseUrl.getFragment() != null) {
                throw new IllegalStateException("baseUrl takes no query or fragment: " + baseUrl);
            }
            if (apiKey != null && bearerToken != null) {
                throw new IllegalStateException("an API key or a bearer token, not both");
            }
            if (onBehalfOf != null && apiKey == null && bearerToken == null) {
                throw new IllegalStateException("onBehalfOf needs the service's API key or bearer token");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalStateException("timeout must be positive");
            }
            return new LecternContentRetriever(this);
        }
    }
}
