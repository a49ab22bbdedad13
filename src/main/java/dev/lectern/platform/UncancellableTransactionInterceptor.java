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
 * cancels the request's pipeline; a cancel that reaches a Hibernate Reactive transaction while it is open makes the
 * session close its connection with the transaction still live, which Hibernate Reactive 3.1 refuses ("Connection
 * being closed with a live transaction associated to it") without ever giving the connection back to the pool
 * (quarkusio/quarkus#51576, hibernate/hibernate-reactive#2926, both open). bench/progress.sh showed it: each stop of
 * wrk mid-request leaked connections, and once the pool's 20 were gone every database request answered 503
 * (ClientDisconnectTest reproduces it). The transaction now runs to its end, a commit or a rollback as it would have
 * been without the cancel, and its outcome is dropped.
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
            throw new IllegalStateException("@UncancellableTransaction needs a Uni-returning method: " + context.getMethod());
        }
        return run(() -> ProceedAsUni.proceed(context));
    }
}
