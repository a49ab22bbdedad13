package dev.lectern.platform;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lectern's {@code @WithTransaction}: runs the {@code Uni}-returning method in a Hibernate Reactive transaction
 * ({@code Panache.withTransaction}) that completes (commits or rolls back) even if the caller cancels, see
 * {@link UncancellableTransactionInterceptor}. Use it, or {@link UncancellableTransactionInterceptor#run}, instead of
 * {@code @WithTransaction} and {@code Panache.withTransaction}; {@code NoCancellableTransactionsTest} checks.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface UncancellableTransaction {}
