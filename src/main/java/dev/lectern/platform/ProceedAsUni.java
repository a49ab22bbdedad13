package dev.lectern.platform;

import io.smallrye.mutiny.Uni;
import jakarta.interceptor.InvocationContext;

/** For interceptors of {@code Uni}-returning methods. */
final class ProceedAsUni {

    private ProceedAsUni() {}

    /** The intercepted method's {@code Uni}; an exception it throws before returning one becomes a failed {@code Uni}. */
    @SuppressWarnings("unchecked")
    static Uni<Object> proceed(InvocationContext context) {
        try {
            return (Uni<Object>) context.proceed();
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
    }
}
