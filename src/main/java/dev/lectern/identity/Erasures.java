package dev.lectern.identity;

import dev.lectern.platform.Hashes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * What follows an erasure, once its transaction has committed:
 * <ul>
 * <li>a log line with an erasure token, an HMAC of the user id under {@code lectern.auth.erasure.token-key}: whoever has
 * the id but not the key cannot link the line to the user;
 * <li>an ANALYZE of every table the erasure cascaded through (found in the catalogue: the tables whose rows are deleted
 * with a user), so that the planner's statistics ({@code pg_stats}: most common values, histogram bounds) stop holding
 * the erased user's name, e-mail or texts. Erasures within {@code lectern.auth.erasure.analyze-delay} share one.
 * </ul>
 */
@ApplicationScoped
public class Erasures {

    private static final Logger LOG = Logger.getLogger(Erasures.class);

    /** users and every table a delete of a user cascades to, directly or through another such table. */
    private static final String ERASED_TABLES = """
            WITH RECURSIVE erased(rel) AS (
                SELECT 'users'::regclass
                UNION
                SELECT c.conrelid FROM pg_constraint c JOIN erased ON c.confrelid = erased.rel
                WHERE c.contype = 'f' AND c.confdeltype = 'c')
            SELECT rel::text AS name FROM erased ORDER BY 1""";

    private final Pool pool;
    private final Vertx vertx;
    private final SecretKeySpec tokenKey;
    private final long analyzeDelayMillis;
    private final AtomicBoolean analyzePending = new AtomicBoolean();

    public Erasures(Pool pool, Vertx vertx, AuthConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        byte[] key = config.erasure()
                .tokenKey()
                .filter(k -> !k.isBlank())
                .map(k -> k.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return random;
                });
        this.tokenKey = Hashes.hmacKey(key);
        this.analyzeDelayMillis = Math.max(1, config.erasure().analyzeDelay().toMillis());
    }

    /** Logs the erasure and schedules the ANALYZE; call after the erasing transaction committed. */
    void erased(UUID userId) {
        LOG.infof("erased a user account (erasure token %s)", token(userId));
        if (analyzePending.compareAndSet(false, true)) {
            vertx.setTimer(
                    analyzeDelayMillis,
                    timer -> analyze()
                            .subscribe()
                            .with(
                                    done -> {},
                                    failure -> LOG.warnf(
                                            "ANALYZE after an erasure failed (autovacuum will analyse later): %s",
                                            failure)));
        }
    }

    /** A short token for the log: HMAC-SHA256 of the id under the configured key, first 8 bytes in hex. */
    String token(UUID userId) {
        byte[] id = userId.toString().getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(Hashes.hmacSha256(tokenKey, id, id.length), 0, 8);
    }

    /** ANALYZE of the erased tables, in one statement; an erasure from now on schedules another. */
    Uni<Void> analyze() {
        analyzePending.set(false);
        return pool.query(ERASED_TABLES)
                .execute()
                .chain(rows -> pool.query("ANALYZE "
                                + StreamSupport.stream(rows.spliterator(), false)
                                        .map((Row r) -> r.getString("name"))
                                        .collect(Collectors.joining(", ")))
                        .execute())
                .replaceWithVoid();
    }
}
