package dev.lectern.operations;

import dev.lectern.identity.Roles;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator stats ({@link AdminStatsStore} says how they stay cheap on big tables). */
@Path("/api/v1/admin/stats")
@RetryOnConnectionLoss
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer", scopes = Roles.ADMIN)
@SecurityRequirement(name = "apiKey", scopes = Roles.ADMIN)
public class AdminStatsResource {

    @Schema(name = "AdminStats")
    public record StatsView(
            long activeUsers7Days,
            long activeUsers30Days,
            long contentGeneratedToday,
            long databaseBytes,
            long indexBytes,
            Map<String, Long> tableBytes,

            @Schema(description = "Chapters waiting in the index outbox")
            Long outboxDepth) {}

    private final AdminStatsStore stats;

    public AdminStatsResource(AdminStatsStore stats) {
        this.stats = stats;
    }

    @GET
    @Operation(
            operationId = "getAdminStats",
            summary = "Operator stats",
            description = "Active users (7 and 30 days), content generated today, storage per table and index size")
    @APIResponse(
            responseCode = "200",
            description = "Stats",
            content = @Content(schema = @Schema(implementation = StatsView.class)))
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Uni<StatsView> stats() {
        return stats.stats();
    }
}
