package dev.lectern.platform;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource class: its idempotent endpoints (GET, HEAD, PUT, DELETE, which RFC 9110 defines as safe to repeat)
 * that return a {@code Uni} are run again after a lost database connection, see {@link ConnectionLossRetry}.
 * On a single method: that method is retried whatever its HTTP method, for a POST whose implementation is idempotent
 * (an idempotency key, a client-chosen id).
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RetryOnConnectionLoss {}
