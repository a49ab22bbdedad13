package dev.lectern.platform;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Every error answer is RFC 9457 problem+json ({@link ProblemMappers}); this says so once for the OpenAPI document:
 * each 4xx and 5xx response an operation declares without a body gets the {@code application/problem+json} body with
 * the {@link Problem} schema, and every secured operation declares 401 and 403. Resources then
 * declare an error response by status and description alone.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponsesOpenApi implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return operation;
        }
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            // A secured operation can answer both, whatever it declares (the resources state their security and roles;
            // SmallRye's own auto-add is off, see application.properties).
            addIfAbsent(operation, "401", "Credentials missing, invalid, expired or revoked");
            addIfAbsent(operation, "403", "The caller's roles, or the user it acts for, do not allow this");
        }
        for (Map.Entry<String, APIResponse> response :
                operation.getResponses().getAPIResponses().entrySet()) {
            boolean error =
                    response.getKey().startsWith("4") || response.getKey().startsWith("5");
            APIResponse value = response.getValue();
            boolean bodiless = value.getContent() == null
                    || value.getContent().getMediaTypes() == null
                    || value.getContent().getMediaTypes().isEmpty();
            if (error && bodiless && value.getRef() == null) {
                value.content(problemContent());
            }
        }
        return operation;
    }

    private static void addIfAbsent(Operation operation, String status, String description) {
        if (!operation.getResponses().hasAPIResponse(status)) {
            operation
                    .getResponses()
                    .addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    /** A problem+json body with the {@link Problem} schema, for filters that add an error response. */
    public static org.eclipse.microprofile.openapi.models.media.Content problemContent() {
        return OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem")));
    }
}
