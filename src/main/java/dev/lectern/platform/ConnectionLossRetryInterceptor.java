package dev.lectern.platform;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PUT;
import java.lang.reflect.Method;

/**
 * Applies {@link ConnectionLossRetry} to the endpoints {@link RetryOnConnectionLoss} selects. The whole endpoint is
 * repeated, not a statement: a transaction cut by a lost connection is gone as a unit (or, for a lost COMMIT, may have
 * landed), and only the endpoint knows the unit is safe to run again.
 */
@RetryOnConnectionLoss
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class ConnectionLossRetryInterceptor {

    private final ConnectionLossRetry retry;

    public ConnectionLossRetryInterceptor(ConnectionLossRetry retry) {
        this.retry = retry;
    }

    @AroundInvoke
    Object retryIdempotent(InvocationContext context) throws Exception {
        Method method = context.getMethod();
        if (!Uni.class.isAssignableFrom(method.getReturnType()) || !idempotent(method)) {
            return context.proceed();
        }
        return retry.idempotent(() -> ProceedAsUni.proceed(context));
    }

    private static boolean idempotent(Method method) {
        return method.isAnnotationPresent(RetryOnConnectionLoss.class)
                || method.isAnnotationPresent(GET.class)
                || method.isAnnotationPresent(HEAD.class)
                || method.isAnnotationPresent(PUT.class)
                || method.isAnnotationPresent(DELETE.class);
    }
}
