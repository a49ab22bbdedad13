package dev.lectern.index.search;

import dev.lectern.index.vector.VectorIndexUnavailableException;
import dev.lectern.platform.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An unreachable vector index is a temporary condition: 503 with Retry-After, never a 500. */
public class IndexProblems {

    private final long retryAfterSeconds;

    public IndexProblems(SearchConfig config) {
        this.retryAfterSeconds = config.retryAfter();
    }

    @ServerExceptionMapper
    public Response unavailable(VectorIndexUnavailableException e, UriInfo uri) {
        Problem problem = new Problem(
                Problem.TYPE_BASE + "vector-index-unavailable",
                "Vector index unavailable",
                503,
                "semantic search is temporarily unavailable; full-text search (mode \"fulltext\") still works",
                uri.getPath(),
                null);
        return Response.status(503)
                .header("Retry-After", retryAfterSeconds)
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }
}
