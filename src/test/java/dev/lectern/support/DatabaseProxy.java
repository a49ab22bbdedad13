package dev.lectern.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between the application's reactive pool and the test database; Flyway keeps its direct JDBC
 * URL. A test gets the proxy in a field annotated {@link InjectProxy} and cuts or restores the database with it.
 * The connect and acquisition timeouts are lowered to keep outage tests short.
 */
public class DatabaseProxy implements QuarkusTestResourceLifecycleManager {

    /** Both {@code lectern.database.connect-timeout} and {@code acquire-timeout}: the longest a request may wait. */
    public static final String TIMEOUT = "2s";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectProxy {}

    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        proxy = TcpProxy.to(TestDatabase.HOST, TestDatabase.PORT);
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/" + TestDatabase.name(),
                "lectern.database.connect-timeout", TIMEOUT,
                "lectern.database.acquire-timeout", TIMEOUT);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.AnnotatedAndMatchesType(InjectProxy.class, TcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
