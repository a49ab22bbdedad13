package dev.lectern.platform;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/**
 * Tells database failures that mean "the database cannot be reached right now" from all others, whether the Vert.x
 * client raised them or Hibernate Reactive wrapped them (the whole cause chain is searched).
 *
 * <p>What the client sees when a connection dies depends on the moment: a backend terminated by
 * {@code pg_terminate_backend}, a Neon compute scaling to zero or a restarting server sends FATAL 57P01/57P02/57P03
 * before closing; a dropped network path shows as a closed connection or a socket error with no answer at all;
 * PgBouncer reports a lost server connection as SQLSTATE 08P01; a refused or timed-out connect is a
 * {@link ConnectException}; a pool that cannot hand out a connection within its acquisition timeout fails with an
 * exception of no type of its own ({@link #poolAcquisitionTimeout}).
 *
 * <p>Failures are told apart by exception type and SQLSTATE wherever the driver offers one. Two kinds of failure have
 * neither, only a generic Vert.x exception with a fixed message; those messages are matched in one place each, and
 * {@code DatabaseFailuresDriverTest} provokes both on a real pool, so a driver upgrade that rewords them fails a test
 * instead of turning 503s into 500s.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {}

    /**
     * An established connection was lost: the statement on it failed and the connection is gone from the pool. The
     * work may or may not have taken effect (a lost COMMIT is ambiguous), so it may be repeated only when repeating it
     * is harmless: an idempotent request. A failure to open a connection is not a loss: the pool already tried again
     * ({@code reconnect-attempts}), and repeating the work would only multiply the wait.
     */
    public static boolean connectionLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClosedConnectionException
                    || t instanceof ClosedChannelException
                    || t instanceof SocketException && !connectFailure(t)
                    || unsentOnClosedConnection(t)
                    || handedOverOnAnotherContext(t)) {
                return true;
            }
        }
        String state = sqlState(failure);
        return state != null
                && (state.startsWith("08") && !state.equals("08001") && !state.equals("08004")
                        || state.equals("57P01")
                        || state.equals("57P02"));
    }

    /**
     * The database cannot serve this request now, for a reason that passes: a lost connection, a refused or timed-out
     * connect, a server starting up or out of connection slots, no free pooled connection within the acquisition
     * timeout. Answered with 503 and Retry-After.
     */
    public static boolean unavailable(Throwable failure) {
        if (connectionLost(failure)) {
            return true;
        }
        String state = sqlState(failure);
        if (state != null && (state.startsWith("08") || state.equals("57P03") || state.equals("53300"))) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (connectFailure(t)
                    || t instanceof TimeoutException
                    || t instanceof ConnectionPoolTooBusyException
                    || poolAcquisitionTimeout(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * No pooled connection within the pool's acquisition timeout ({@code lectern.database.acquire-timeout}). Vert.x
     * raises no exception type of its own for it: up to 4.5.22 a {@link NoStackTraceThrowable} "Timeout" for both
     * {@code getConnection} and statements sent to the pool; from 4.5.27 the same for {@code getConnection} and a shared
     * {@link VertxException} "Timeout waiting for connection" for statements sent to the pool.
     */
    static boolean poolAcquisitionTimeout(Throwable t) {
        return (t instanceof NoStackTraceThrowable || t instanceof VertxException)
                && ("Timeout".equals(t.getMessage()) || "Timeout waiting for connection".equals(t.getMessage()));
    }

    /**
     * The Vert.x client (4.5, {@code SocketConnectionBase}) fails a command it never sent with a bare message when the
     * pool handed out a connection whose close it had not processed yet, or when the connection closed with commands
     * queued; there is no exception type to tell these by.
     */
    private static boolean unsentOnClosedConnection(Throwable t) {
        String message = t.getMessage();
        return (t instanceof NoStackTraceThrowable || t instanceof VertxException)
                && message != null
                && (message.startsWith("Connection is not active now")
                        || message.startsWith("Pending requests failed to be sent"));
    }

    /**
     * A new pooled connection handed to a waiter on another event loop than the one it was opened on: Vert.x 4.5's
     * pool then fails the acquisition with a bare {@code IllegalStateException} from
     * {@code SocketConnectionBase.init}'s context check, before any command is sent. Seen when several event loops open
     * connections at once (the first requests after start, a flood of new callers): a 500 in CI twice. Nothing reached
     * the database, so repeating is safe, and the repeat gets a connection normally. Told by where it was thrown, as it
     * has no type or message of its own.
     */
    private static boolean handedOverOnAnotherContext(Throwable t) {
        if (!(t instanceof IllegalStateException) || t.getMessage() != null) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0
                && stack[0].getClassName().equals("io.vertx.sqlclient.impl.SocketConnectionBase")
                && stack[0].getMethodName().equals("init");
    }

    private static boolean connectFailure(Throwable t) {
        return t instanceof ConnectException
                || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException;
    }

    /** The SQLSTATE of a database failure, whether Hibernate wrapped it or the Vert.x client raised it; null if none. */
    public static String sqlState(Throwable failure) {
        org.hibernate.JDBCException jdbc = findCause(failure, org.hibernate.JDBCException.class);
        if (jdbc != null && jdbc.getSQLState() != null) {
            return jdbc.getSQLState();
        }
        PgException pg = findCause(failure, PgException.class);
        return pg == null ? null : pg.getSqlState();
    }

    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
