package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

/** Which failures are a lost connection (retried for idempotent work) and which mean "unavailable" (503). */
class DatabaseFailuresTest {

    private static PgException pg(String sqlState) {
        return new PgException("FATAL: terminating connection due to administrator command", "FATAL", sqlState, null);
    }

    @Test
    void aTerminatedBackendIsALostConnectionWhetherRaisedByVertxOrWrappedByHibernate() {
        assertThat(DatabaseFailures.connectionLost(pg("57P01"))).isTrue();
        assertThat(DatabaseFailures.connectionLost(new HibernateException(new CompletionException(pg("57P01")))))
                .isTrue();
        assertThat(DatabaseFailures.connectionLost(new HibernateException(ClosedConnectionException.INSTANCE)))
                .isTrue();
        assertThat(DatabaseFailures.connectionLost(new SocketException("Connection reset")))
                .isTrue();
    }

    @Test
    void pgBouncerLosingItsServerConnectionIsALostConnection() {
        assertThat(DatabaseFailures.connectionLost(pg("08P01"))).isTrue();
    }

    @Test
    void commandsTheClientNeverSentOnAClosedConnectionAreALostConnection() {
        assertThat(DatabaseFailures.connectionLost(
                        new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")))
                .isTrue();
        assertThat(DatabaseFailures.connectionLost(new VertxException(
                        "Pending requests failed to be sent due to connection has been closed.", null)))
                .isTrue();
    }

    @Test
    void aNewConnectionHandedOverOnAnotherEventLoopIsALostConnectionNothingWasSentOn() {
        IllegalStateException handedOver = new IllegalStateException();
        handedOver.setStackTrace(new StackTraceElement[] {
            new StackTraceElement(
                    "io.vertx.sqlclient.impl.SocketConnectionBase", "init", "SocketConnectionBase.java", 166),
            new StackTraceElement("io.vertx.sqlclient.impl.pool.SqlConnectionPool$2", "lambda$connect$0", null, 124)
        });
        assertThat(DatabaseFailures.connectionLost(handedOver)).isTrue();
        assertThat(DatabaseFailures.connectionLost(new HibernateException(new CompletionException(handedOver))))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(handedOver)).isTrue();
        // Any other IllegalStateException is a bug, not a database that is away.
        assertThat(DatabaseFailures.connectionLost(new IllegalStateException())).isFalse();
        assertThat(DatabaseFailures.connectionLost(new IllegalStateException("Result is already complete")))
                .isFalse();
    }

    @Test
    void aRefusedConnectIsUnavailableButNotRetriedBecauseThePoolAlreadyReconnected() {
        ConnectException refused = new ConnectException("Connection refused");

        assertThat(DatabaseFailures.connectionLost(refused)).isFalse();
        assertThat(DatabaseFailures.unavailable(new HibernateException(refused)))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(pg("57P03")))
                .as("the database system is starting up")
                .isTrue();
        assertThat(DatabaseFailures.unavailable(pg("53300")))
                .as("too many connections")
                .isTrue();
    }

    @Test
    void aPoolAcquisitionTimeoutIsUnavailable() {
        assertThat(DatabaseFailures.unavailable(new HibernateException(new NoStackTraceThrowable("Timeout"))))
                .isTrue();
        assertThat(DatabaseFailures.connectionLost(new NoStackTraceThrowable("Timeout")))
                .isFalse();
        VertxException statementTimeout = new VertxException("Timeout waiting for connection", true);
        assertThat(DatabaseFailures.unavailable(new HibernateException(new CompletionException(statementTimeout))))
                .isTrue();
        assertThat(DatabaseFailures.connectionLost(statementTimeout)).isFalse();
    }

    @Test
    void ordinaryDatabaseErrorsAreNeither() {
        for (Throwable e : new Throwable[] {
            pg("23505"), pg("42P05"), new IllegalStateException("boom"), new NoStackTraceThrowable("other")
        }) {
            assertThat(DatabaseFailures.connectionLost(e)).as(e.toString()).isFalse();
            assertThat(DatabaseFailures.unavailable(e)).as(e.toString()).isFalse();
        }
    }
}
