package dev.lectern.platform;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.function.Supplier;

/**
 * Hibernate Reactive transactions that a client's disconnect cannot break off. When a client goes away the REST layer
 * cancels the request's pipeline. On Hibernate Reactive 3.1 (Quarkus 3.29) a cancel that reached an open transaction
 * never gave its connection back to the pool (quarkusio/quarkus#51576, hibernate/hibernate-reactive#2926): each stop of
 * wrk mid-request leaked connections until every database request answered 503 ({@code ClientDisconnectTest}).
 * Hibernate Reactive 3.2 (Quarkus 3.33) returns the connection, rolling the transaction back wherever the cancel
 * caught it and logging "HR000090: Live transaction detected" at ERROR for each disconnect
 * ({@code PlainTransactionCancelTest} checks this on every upgrade).
 *
 * <p>Lectern still runs every write transaction to its end, a commit or a rollback as it would have been without the
 * cancel, and drops the outcome: whether a client's write happens must not depend on when its connection dropped (a
 * client that timed out and retries with the same {@code Idempotency-Key} gets the first run's response, see
 * {@link Idempotency}), and a disconnect is an ordinary event, not an ERROR in the log.
 */
@UncancellableTransaction
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 200)
public class UncancellableTransactionInterceptor {

    /** {@code work} in a transaction that completes even if the subscriber cancels. */
    public static <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uncancellable.of(Panache.withTransaction(work));
    }

    @AroundInvoke
    Object inTransaction(InvocationContext context) {
        if (!Uni.class.isAssignableFrom(context.getMethod().getReturnType())) {
            throw new IllegalStateException(
                    "@UncancellableTransaction needs a Uni-returning method: " + context.getMethod());
        }
        return run(() -> ProceedAsUni.proceed(context));
    }
}
