package dev.lectern.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The {@code Idempotency-Key} request header (IETF draft-ietf-httpapi-idempotency-key-header) for the POSTs whose
 * duplicates would hurt: a retried review applied twice, a second task, session or generated set.
 *
 * <p>The first request with a key claims it (one row in {@code idempotency_keys}, scoped to the caller's user), runs,
 * and keeps its response (status, Location, JSON body). A retry with the same key and the same request (method, path
 * and body, compared by a SHA-256 fingerprint) gets that response again, marked {@code Idempotent-Replayed: true},
 * and nothing runs twice. The same key on a different request is refused (422); while the first request still runs a
 * retry gets 409 with Retry-After. A request that fails releases its key (nothing was written: each write is one
 * transaction), so a retry runs it again. Keys are kept for {@code lectern.idempotency.retention} (24 h), then
 * purged ({@link ExpiryPurge}).
 *
 * <p>Limits: the key row and the request's own write are separate transactions. If a replica dies after the write
 * but before the response is kept, the claim stays until {@code lectern.idempotency.lock} has passed and a retry
 * after that runs the request again; and a request whose COMMIT was lost with its connection fails and frees its key
 * although the write may have landed. Requests without a user (the bootstrap admin key) are not deduplicated.
 */
@ApplicationScoped
public class Idempotency implements ExpiringRows {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    /** For the OpenAPI description of the header on every endpoint that honours it. */
    public static final String DESCRIPTION = "Makes a retry safe: a repeat with the same key and request within 24 h "
            + "answers the first response again (Idempotent-Replayed: true) instead of running twice; the same key on "
            + "another request is 422, a repeat while the first still runs is 409 with Retry-After. 1 to 255 visible "
            + "ASCII characters, e.g. a UUID; scoped to the caller's user";

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    /** Visible ASCII: what fits an HTTP header value without escaping (a UUID, a ULID, a client's own scheme). */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final Pool pool;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Duration retention;
    private final Duration lock;

    public Idempotency(Pool pool, ObjectMapper json, MeterRegistry metrics, IdempotencyConfig config) {
        this.pool = pool;
        this.json = json;
        this.metrics = metrics;
        this.retention = config.retention();
        this.lock = config.lock();
    }

    /**
     * An {@code Idempotency-Key} header without a value is a client's mistake, refused like any malformed key: taken as
     * "no key", the retry it was meant to make safe would run twice.
     */
    @ServerRequestFilter
    public void refuseEmptyKey(ContainerRequestContext request) {
        List<String> keys = request.getHeaders().get(HEADER);
        if (keys != null && keys.stream().anyMatch(String::isBlank)) {
            throw ProblemException.invalid(HEADER, "must be 1 to 255 visible ASCII characters");
        }
    }

    /** Keys and their kept responses expire after the retention ({@link ExpiryPurge} deletes them). */
    @Override
    public List<Table> expiringTables() {
        return List.of(new Table("idempotency_keys", "user_id, key", "expires_at < now()"));
    }

    /**
     * The user a request's key is kept under: the caller's, except for an admin acting on a resource another user
     * owns, whose kept response holds that user's data. It is kept under the owner, so erasing the owner erases it.
     */
    public Uni<UUID> keptFor(String key, UUID caller, boolean admin, Supplier<Uni<UUID>> owner) {
        if (key == null || !admin) {
            return Uni.createFrom().item(caller);
        }
        return owner.get().map(found -> found == null ? caller : found);
    }

    /**
     * Runs {@code action} at most once per {@code key} of {@code userId}, answering a repeat with the first response.
     *
     * @param key the header's value; null runs {@code action} as is
     * @param operation the method and path of the request (path parameters included), part of the fingerprint
     * @param request the deserialized request body (or null), part of the fingerprint
     */
    public Uni<Response> once(
            String key, UUID userId, String operation, Object request, Supplier<Uni<Response>> action) {
        if (key == null || userId == null) {
            return Uni.createFrom().deferred(action::get);
        }
        String value = unquoted(key);
        if (!KEY.matcher(value).matches()) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid(HEADER, "must be 1 to 255 visible ASCII characters"));
        }
        String fingerprint = Hashes.sha256(operation + "\n" + write(request));
        // Runs to its end even when the caller goes away. A client that times out disconnects and the REST layer
        // cancels
        // the request's pipeline: cancelled between the claim and keeping the response, the key would stay claimed
        // until
        // its lock lapsed, and a write that had committed would run again on the retry, the very case the header exists
        // for. The request's own write is one transaction either way.
        return Uncancellable.of(claim(userId, value, fingerprint)
                .chain(claimed -> claimed ? run(userId, value, action) : stored(userId, value, fingerprint, action)));
    }

    /** A Structured Field string ({@code "..."}, as the draft writes the header) or a bare token, as clients send it. */
    private static String unquoted(String key) {
        String trimmed = key.strip();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1)
                : trimmed;
    }

    /**
     * Makes the statement's own (implicit) transaction commit asynchronously: no WAL flush of its own. For the claim
     * and the release that loses nothing. The request's write commits synchronously after the claim, and that flushes
     * the WAL up to it, claim included; if the database crashes before, the write did not happen either and the retry
     * runs it. A release lost in a crash leaves a claim that lapses with its lock. Keeping the response stays
     * synchronous: losing it would let a retry run a committed write again.
     */
    private static final String NO_WAL_FLUSH = "WITH async AS (SELECT set_config('synchronous_commit', 'off', true))\n";

    /** True when this request now holds the key: it was free, expired, or abandoned by a request that died. */
    private Uni<Boolean> claim(UUID userId, String key, String fingerprint) {
        return pool.preparedQuery(NO_WAL_FLUSH + """
                INSERT INTO idempotency_keys AS k (user_id, key, fingerprint, locked_until, expires_at)
                SELECT $1, $2, $3, now() + $4::double precision * interval '1 millisecond',
                       now() + $5::double precision * interval '1 millisecond'
                  FROM async
                ON CONFLICT (user_id, key) DO UPDATE
                   SET fingerprint = EXCLUDED.fingerprint, status = NULL, location = NULL, body = NULL,
                       locked_until = EXCLUDED.locked_until, expires_at = EXCLUDED.expires_at, created_at = now(), updated_at = now()
                 WHERE k.expires_at <= now()
                    OR (k.status IS NULL AND k.locked_until <= now() AND k.fingerprint = EXCLUDED.fingerprint)
                RETURNING 1""")
                .execute(Tuple.of(userId, key, fingerprint, lock.toMillis(), retention.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Runs the request under its claimed key: its response is kept, a failure frees the key. */
    private Uni<Response> run(UUID userId, String key, Supplier<Uni<Response>> action) {
        return Uni.createFrom()
                .deferred(action::get)
                .onFailure()
                .call(failure -> release(userId, key))
                .call(response -> keep(userId, key, response))
                .invoke(() -> count("run"));
    }

    /** Keeps a response for replay; a failure to keep it is logged, the caller still gets its response. */
    private Uni<Void> keep(UUID userId, String key, Response response) {
        if (response.getStatus() >= 500) {
            return release(userId, key);
        }
        String location =
                response.getLocation() == null ? null : response.getLocation().toString();
        String body = response.getEntity() == null ? null : write(response.getEntity());
        return pool.preparedQuery("""
                UPDATE idempotency_keys SET status = $3, location = $4, body = $5, locked_until = NULL, updated_at = now()
                 WHERE user_id = $1 AND key = $2""")
                .execute(Tuple.tuple(java.util.Arrays.asList(userId, key, response.getStatus(), location, body)))
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "could not keep the response of an idempotent request "
                                + "(a retry after the lock runs it again): %s",
                        e.toString()))
                .onFailure()
                .recoverWithNull();
    }

    /** Frees the key of a request that failed: it wrote nothing, so a retry may run it again. */
    private Uni<Void> release(UUID userId, String key) {
        return pool.preparedQuery(
                        NO_WAL_FLUSH
                                + "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL AND EXISTS (SELECT FROM async)")
                .execute(Tuple.of(userId, key))
                .replaceWithVoid()
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "could not release an idempotency key (it frees itself after the lock): %s", e.toString()))
                .onFailure()
                .recoverWithNull();
    }

    /** The key is held by another request or already answered: refuse, wait, or replay. */
    private Uni<Response> stored(UUID userId, String key, String fingerprint, Supplier<Uni<Response>> action) {
        return pool.preparedQuery(
                        "SELECT fingerprint, status, location, body FROM idempotency_keys WHERE user_id = $1 AND key = $2")
                .execute(Tuple.of(userId, key))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        // Released by a failed first request between our claim and this read: claim it once more.
                        return claim(userId, key, fingerprint)
                                .chain(again -> again ? run(userId, key, action) : inProgress());
                    }
                    Row row = rows.iterator().next();
                    if (!fingerprint.equals(row.getString("fingerprint"))) {
                        count("reused");
                        return Uni.createFrom()
                                .failure(new ProblemException(
                                        422,
                                        "idempotency-key-reused",
                                        "Idempotency key reused",
                                        "this Idempotency-Key was used for a different request; "
                                                + "use a new key for a new request",
                                        List.of(new Problem.FieldError(HEADER, "already used for another request"))));
                    }
                    Integer status = row.getInteger("status");
                    if (status == null) {
                        return inProgress();
                    }
                    count("replayed");
                    return Uni.createFrom().item(replay(status, row.getString("location"), row.getString("body")));
                });
    }

    private <T> Uni<T> inProgress() {
        count("in_progress");
        return Uni.createFrom()
                .failure(new ProblemException(
                        409,
                        "idempotency-key-in-progress",
                        "Request in progress",
                        "a request with this Idempotency-Key is still being processed; retry shortly",
                        null,
                        1));
    }

    /** {@code lectern_idempotency_requests_total{outcome=run|replayed|reused|in_progress}}: how often retries happen. */
    private void count(String outcome) {
        metrics.counter("lectern.idempotency.requests", "outcome", outcome).increment();
    }

    private static Response replay(int status, String location, String body) {
        Response.ResponseBuilder response = Response.status(status).header(REPLAYED, "true");
        if (location != null) {
            response.header(HttpHeaders.LOCATION, location);
        }
        if (body != null) {
            response.entity(body).type(MediaType.APPLICATION_JSON_TYPE);
        }
        return response.build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getName(), e);
        }
    }
}
