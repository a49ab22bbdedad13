package dev.lectern.platform;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.spi.ConnectionFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the reactive pool with the time limits Quarkus does not expose as configuration ({@link DatabaseConfig}),
 * so that a database outage is answered promptly instead of hanging requests:
 * <ul>
 * <li>opening a connection (TCP connect, TLS, startup and authentication, with all of the reconnect attempts) is bounded
 * by {@code lectern.database.connect-timeout}. Vert.x bounds only the TCP connect; a server or proxy that accepts the
 * connection and then never answers would otherwise hold the pool slot, and every request queued on it, forever;</li>
 * <li>waiting for a pooled connection is bounded by {@code lectern.database.acquire-timeout}, both for
 * {@code getConnection} (which Hibernate Reactive uses) and, since Vert.x 4.5.27, for statements sent straight to the
 * pool ({@code pool.preparedQuery}).</li>
 * </ul>
 * It also keeps longer statements prepared ({@link #PREPARED_STATEMENT_CACHE_SQL_LIMIT}). Everything else (URL,
 * credentials, TLS, pool size, idle timeout, pooler settings) arrives configured by Quarkus.
 * With a creator present Quarkus skips its credentials-provider support; Lectern takes credentials from
 * {@code DATABASE_URL} or {@code quarkus.datasource.username/password}, never from a credentials provider.
 */
@Singleton
public class DatabasePoolCreator implements PgPoolCreator {

    /**
     * Statements up to this many characters are kept prepared when caching is on (Vert.x's default is 2,048). A longer
     * one is parsed and planned again at every execution, silently: the full-text search's any-term step (about 2,500
     * characters with its filters) was, at about 2 ms of the database's time per search.
     */
    static final int PREPARED_STATEMENT_CACHE_SQL_LIMIT = 16_384;

    private final DatabaseConfig config;
    private volatile ConnectionFactory connections;

    public DatabasePoolCreator(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        long connectMillis = config.connectTimeout().toMillis();
        List<PgConnectOptions> databases = input.pgConnectOptionsList();
        for (PgConnectOptions options : databases) {
            options.setConnectTimeout(Math.toIntExact(connectMillis));
            options.setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_CACHE_SQL_LIMIT);
        }
        PoolOptions poolOptions = input.poolOptions()
                .setConnectionTimeout(Math.toIntExact(config.acquireTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        Vertx vertx = input.vertx();
        Pool pool = PgDriver.INSTANCE.createPool(vertx, databases, poolOptions);
        AtomicInteger next = new AtomicInteger();
        ConnectionFactory factory = PgDriver.INSTANCE.createConnectionFactory(
                vertx,
                () -> Future.succeededFuture(databases.get(Math.floorMod(next.getAndIncrement(), databases.size()))));
        connections = factory;
        pool.connectionProvider(context -> within(vertx, factory.connect(context), connectMillis));
        return pool;
    }

    /** The connection, or a {@link ConnectException} once {@code millis} have passed; a late connection is closed. */
    static Future<SqlConnection> within(Vertx vertx, Future<SqlConnection> connecting, long millis) {
        Promise<SqlConnection> result = Promise.promise();
        long timer = vertx.setTimer(
                millis,
                id -> result.tryFail(new ConnectException(
                        "no database connection within " + millis + " ms (connect, TLS, startup and authentication)")));
        connecting.onComplete(done -> {
            vertx.cancelTimer(timer);
            boolean delivered = done.succeeded() ? result.tryComplete(done.result()) : result.tryFail(done.cause());
            if (!delivered && done.succeeded()) {
                done.result().close();
            }
        });
        return result.future();
    }

    @PreDestroy
    void close() {
        ConnectionFactory factory = connections;
        if (factory != null) {
            factory.close(Promise.promise());
        }
    }
}
