package dev.lectern.operations;

import dev.lectern.operations.AdminStatsResource.StatsView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator statistics query, cheap on big tables: active users and today's content come from index range scans
 * ({@code users.last_seen_at}, {@code api_keys.last_used_at}, {@code generated_content.created_at}); storage from
 * the catalog ({@code pg_total_relation_size}), never from counting rows. It reads every feature's tables, which is
 * what an operator's view is for; it writes none.
 */
@ApplicationScoped
public class AdminStatsStore {

    private final Pool pool;

    public AdminStatsStore(Pool pool) {
        this.pool = pool;
    }

    Uni<StatsView> stats() {
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
