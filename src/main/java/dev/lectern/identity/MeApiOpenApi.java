package dev.lectern.identity;

import dev.lectern.platform.ProblemResponsesOpenApi;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * What every operation under {@link MeApi#PATH} shares in the OpenAPI document, declared once: it accepts a bearer JWT
 * or an API key, and answers 401 problem+json without valid credentials.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class MeApiOpenApi implements OASFilter {

    private static final List<String> SCHEMES = List.of("bearer", "apiKey");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.equals(MeApi.PATH) || path.startsWith(MeApi.PATH + "/")) {
                item.getOperations().values().forEach(MeApiOpenApi::describe);
            }
        });
    }

    private static void describe(Operation operation) {
        for (String scheme : SCHEMES) {
            boolean present = operation.getSecurity() != null
                    && operation.getSecurity().stream().anyMatch(r -> r.hasScheme(scheme));
            if (!present) {
                operation.addSecurityRequirement(
                        OASFactory.createSecurityRequirement().addScheme(scheme));
            }
        }
        if (operation.getResponses().getAPIResponse("401") == null) {
            operation
                    .getResponses()
                    .addAPIResponse(
                            "401",
                            OASFactory.createAPIResponse()
                                    .description("No or invalid credentials")
                                    .content(ProblemResponsesOpenApi.problemContent()));
        }
    }
}
