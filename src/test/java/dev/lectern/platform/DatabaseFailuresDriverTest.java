package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lectern.support.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failures {@link DatabaseFailures} recognises by message, provoked on a real Vert.x pool against the test
 * database: if a driver upgrade rewords them, this test fails rather than production answering 500 for what is a 503.
 */
class DatabaseFailuresDriverTest {

    private Vertx vertx;
    private Pool pool;

    @BeforeEach
    void onePooledConnectionWithAShortAcquisitionTimeout() {
        vertx = Vertx.vertx();
        pool = PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(1)
                        .setConnectionTimeout(200)
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectingTo(new PgConnectOptions()
                        .setHost(TestDatabase.HOST)
                        .setPort(TestDatabase.PORT)
                        .setDatabase(TestDatabase.name())
                        .setUser("postgres"))
                .using(vertx)
                .build();
    }

    @AfterEach
    void close() throws Exception {
        pool.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void waitingTooLongForAPooledConnectionIsUnavailableWhicheverWayTheConnectionIsAskedFor() throws Exception {
        SqlConnection held = firstConnection();
        try {
            Throwable viaGetConnection = failure(pool.getConnection().map(c -> (Object) c));
            Throwable viaStatement = failure(pool.query("SELECT 1").execute().map(rows -> (Object) rows));

            assertThat(DatabaseFailures.unavailable(viaGetConnection))
                    .as("getConnection: %s", viaGetConnection)
                    .isTrue();
            assertThat(DatabaseFailures.unavailable(viaStatement))
                    .as("statement on the pool: %s", viaStatement)
                    .isTrue();
            assertThat(DatabaseFailures.connectionLost(viaGetConnection))
                    .as("nothing was sent, nothing is retried")
                    .isFalse();
            assertThat(DatabaseFailures.connectionLost(viaStatement)).isFalse();
        } finally {
            held.close();
        }
    }

    /**
     * The pool's 200 ms bound also covers opening its one connection, which a busy machine (the full build on two
     * cores) can take longer than: the one connection the test holds is asked for until it comes.
     */
    private SqlConnection firstConnection() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return pool.getConnection()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static Throwable failure(io.vertx.core.Future<Object> future) throws Exception {
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected the pool to time out, got " + value);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }
}
