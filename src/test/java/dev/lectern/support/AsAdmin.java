package dev.lectern.support;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sends every RestAssured request of a test with the bootstrap admin key (configured for the test profile),
 * for tests about content rather than access. Access rules have their own tests.
 */
public class AsAdmin implements BeforeEachCallback, AfterEachCallback {

    public static final String ADMIN_KEY = "test-admin-key";

    @Override
    public void beforeEach(ExtensionContext context) {
        RestAssured.requestSpecification = spec();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RestAssured.requestSpecification = null;
    }

    /** Runs a fixture (catalogue writes, new users) with the admin key, in a test that otherwise acts as others. */
    public static <T> T run(Supplier<T> fixture) {
        RestAssured.requestSpecification = spec();
        try {
            return fixture.get();
        } finally {
            RestAssured.requestSpecification = null;
        }
    }

    private static RequestSpecification spec() {
        return new RequestSpecBuilder().addHeader("X-Api-Key", ADMIN_KEY).build();
    }
}
