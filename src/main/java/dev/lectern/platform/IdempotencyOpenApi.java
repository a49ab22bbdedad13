package dev.lectern.platform;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the OpenAPI description of every operation that takes an {@code Idempotency-Key}: its 409 and 422
 * answers and the {@code Idempotent-Replayed} header of a replayed success, written once here instead of on each
 * endpoint (registered with {@code mp.openapi.filter}).
 */
public class IdempotencyOpenApi implements OASFilter {

    private static final String IN_PROGRESS =
            "A request with the same Idempotency-Key is still running (Retry-After given)";
    private static final String REUSED = "The Idempotency-Key was used for a different request";

    @Override
    public Operation filterOperation(Operation operation) {
        if (operation.getParameters() == null
                || operation.getParameters().stream().noneMatch(p -> Idempotency.HEADER.equals(p.getName()))) {
            return operation;
        }
        APIResponses responses = operation.getResponses();
        for (Map.Entry<String, APIResponse> response :
                responses.getAPIResponses().entrySet()) {
            if (response.getKey().startsWith("2")) {
                response.getValue()
                        .addHeader(
                                Idempotency.REPLAYED,
                                OASFactory.createObject(Header.class)
                                        .description(
                                                "\"true\" when this is the kept response of an earlier request with the same key")
                                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))));
            }
        }
        APIResponse conflict = responses.getAPIResponse("409");
        if (conflict == null) {
            responses.addAPIResponse("409", problem(IN_PROGRESS));
        } else {
            conflict.description(conflict.getDescription() + "; or: "
                    + IN_PROGRESS.substring(0, 1).toLowerCase() + IN_PROGRESS.substring(1));
        }
        if (responses.getAPIResponse("422") == null) {
            responses.addAPIResponse("422", problem(REUSED));
        }
        return operation;
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse()
                .description(description)
                .content(ProblemResponsesOpenApi.problemContent());
    }
}
