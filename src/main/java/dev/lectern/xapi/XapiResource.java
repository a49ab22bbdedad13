package dev.lectern.xapi;

import dev.lectern.identity.CurrentCaller;
import dev.lectern.identity.MeApi;
import dev.lectern.platform.Page;
import dev.lectern.platform.RetryOnConnectionLoss;
import dev.lectern.xapi.XapiViews.XapiStatementView;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path(MeApi.PATH)
@Authenticated
@RetryOnConnectionLoss
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "xAPI", description = "The caller's xAPI statements for the platform's Learning Record Store")
public class XapiResource {

    private final XapiService statements;
    private final CurrentCaller caller;

    public XapiResource(XapiService statements, CurrentCaller caller) {
        this.statements = statements;
        this.caller = caller;
    }

    @GET
    @Path("xapi/statements")
    @Operation(
            operationId = "listXapiStatements",
            summary = "The caller's xAPI statements, newest first",
            description = "Statements about the caller's reading, reviews and sessions, queued for the Learning Record"
                    + " Store or delivered (kept for the configured retention), each as it is POSTed to the LRS")
    @APIResponse(responseCode = "200", description = "A page of statements")
    @APIResponse(responseCode = "400", description = "Invalid limit or cursor")
    public Uni<Page<XapiStatementView>> listXapiStatements(
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit, @QueryParam("cursor") String cursor) {
        return statements.list(caller.get().requireUser(), limit, cursor);
    }
}
