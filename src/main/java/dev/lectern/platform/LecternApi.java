package dev.lectern.platform;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Contact;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

/**
 * The API's OpenAPI header: title, contact, licence and servers, the two ways to authenticate, and the {@link Problem}
 * schema every error response refers to (registered here, so the reference holds however few resources name it). The
 * first server is relative: the document describes the deployment that serves it, wherever that is, so Swagger UI
 * calls the host it was loaded from; the second is a local instance, for a client generated from a saved copy.
 */
@OpenAPIDefinition(
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)),
        info =
                @Info(
                        title = "Lectern API",
                        version = "1.0",
                        description =
                                "Content catalogue, learner progress and semantic index for AI-native learning platforms. "
                                        + "Errors are RFC 9457 application/problem+json.",
                        contact = @Contact(name = "Lectern maintainers", url = "https://lectern.dev"),
                        license = @License(name = "MIT", identifier = "MIT")),
        servers = {
            @Server(url = "/", description = "The deployment serving this document"),
            @Server(url = "http://localhost:8080", description = "A local instance (./mvnw quarkus:dev)")
        })
@SecuritySchemes({
    @SecurityScheme(
            securitySchemeName = "bearer",
            type = SecuritySchemeType.HTTP,
            scheme = "bearer",
            bearerFormat = "JWT",
            description =
                    "A JWT from the platform's auth server (issuer and JWKS configured with LECTERN_AUTH_ISSUER and LECTERN_AUTH_JWKS_URL)"),
    @SecurityScheme(
            securitySchemeName = "apiKey",
            type = SecuritySchemeType.APIKEY,
            in = SecuritySchemeIn.HEADER,
            apiKeyName = "X-Api-Key",
            description = "An API key created with POST /api/v1/me/api-keys, or the bootstrap LECTERN_ADMIN_API_KEY")
})
public class LecternApi extends Application {}
