package dev.lectern.identity;

/**
 * The caller's own data lives under {@value #PATH}. Its resources are {@code @Authenticated} and
 * {@code @RetryOnConnectionLoss} and get the caller from {@link CurrentCaller}; {@link MeApiOpenApi} gives each of their
 * operations the 401 problem response and both security schemes in the OpenAPI document, so the resources do not
 * repeat them. (A CDI stereotype cannot carry {@code @Authenticated} here: Quarkus security reads it from the resource
 * itself, and a stereotyped resource was left open to anonymous callers.)
 */
public final class MeApi {

    public static final String PATH = "/api/v1/me";

    private MeApi() {}
}
