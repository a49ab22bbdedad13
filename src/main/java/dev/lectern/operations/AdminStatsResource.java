package dev.lectern.operations;

import dev.lectern.identity.Roles;
import dev.lectern.platform.RetryOnConnectionLoss;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operator stats, cheap on big tables: active users and today's content come from index range scans
 * ({@code users.last_seen_at}, {@code api_keys.last_used_at}, {@code generated_content.created_at}); storage from
 * the catalog ({@code pg_total_relation_size}), never from counting rows.
 */
@Path("/api/v1/admin/stats")
@RetryOnConnectionLoss
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
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

    private final Pool pool;

    public AdminStatsResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Operation(
            summary = "Operator stats",
            description = "Active users (7 and 30 days), content generated today, storage per table and index size")
    @APIResponse(
            responseCode = "200",
            description = "Stats",
            content = @Content(schema = @Schema(implementation = StatsView.class)))
    @APIResponse(responseCode = "403", description = "Not an admin")
    public Uni<StatsView> stats() {
        return pool.query("""
                SELECT (SELECT count(*) FROM (SELECT id FROM users WHERE last_seen_at > now() - interval '7 days'
                                              UNION SELECT user_id FROM api_keys WHERE last_used_at > now() - interval '7 days') a) AS active7,
                       (SELECT count(*) FROM (SELECT id FROM users WHERE last_seen_at > now() - interval '30 days'
                                              UNION SELECT user_id FROM api_keys WHERE last_used_at > now() - interval '30 days') a) AS active30,
                       (SELECT count(*) FROM generated_content WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS generated_today,
                       pg_database_size(current_database()) AS database_bytes,
                       (SELECT count(*) FROM index_outbox) AS outbox_depth,
                       (SELECT coalesce(sum(pg_indexes_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = 'public' AND c.relkind = 'r') AS index_bytes,
                       (SELECT json_object_agg(c.relname, pg_total_relation_size(c.oid)) FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r') AS tables""").execute().map(rows -> {
            Row r = rows.iterator().next();
            Map<String, Long> tables = new LinkedHashMap<>();
            Object raw = r.getValue("tables");
            if (raw instanceof io.vertx.core.json.JsonObject json) {
                json.getMap().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(e -> tables.put(e.getKey(), ((Number) e.getValue()).longValue()));
            }
            return new StatsView(
                    r.getLong("active7"),
                    r.getLong("active30"),
                    r.getLong("generated_today"),
                    r.getLong("database_bytes"),
                    r.getLong("index_bytes"),
                    tables,
                    r.getLong("outbox_depth"));
        });
    }
}
