package dev.lectern.support;

import io.restassured.specification.RequestSpecification;
import java.util.function.Function;

/**
 * One user-scoped endpoint in the isolation matrix: how to create a fresh resource owned by a user (returning
 * the path that addresses it) and which method to call on it. Every user-scoped endpoint adds one line to
 * {@code dev.lectern.identity.IsolationMatrixTest#endpoints()}.
 */
public record IsolationMatrix(String name, String method, Function<Callers.Caller, String> create, String body) {

    public static IsolationMatrix get(String name, Function<Callers.Caller, String> create) {
        return new IsolationMatrix(name, "GET", create, null);
    }

    public static IsolationMatrix delete(String name, Function<Callers.Caller, String> create) {
        return new IsolationMatrix(name, "DELETE", create, null);
    }

    /** A POST, PUT or PATCH with a JSON body that is valid for the owner. */
    public static IsolationMatrix of(String name, String method, Function<Callers.Caller, String> create, String body) {
        return new IsolationMatrix(name, method, create, body);
    }

    /** Calls the endpoint on a fresh resource of {@code owner} as {@code caller}; returns the status. */
    public int call(Callers.Caller owner, RequestSpecification caller) {
        String path = create.apply(owner);
        if (body != null) {
            caller = caller.contentType(io.restassured.http.ContentType.JSON).body(body);
        }
        return caller.when().request(method, path).then().extract().statusCode();
    }

    @Override
    public String toString() {
        return method + " " + name;
    }
}
