package dev.lectern.studymaterial;

import static dev.lectern.platform.Timestamps.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.platform.Ids;
import dev.lectern.platform.ProblemException;
import dev.lectern.studymaterial.StudyMaterialService.Filter;
import dev.lectern.studymaterial.StudyMaterialViews.CreateGeneratedRequest;
import dev.lectern.studymaterial.StudyMaterialViews.GeneratedView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The SQL of generated study material ({@code generated_content}): each operation one statement. */
@ApplicationScoped
public class StudyMaterialStore {

    /** A piece of material with its owner, for the operations that act on it. */
    record Owned(UUID userId, GeneratedView view) {}

    private static final String COLUMNS = """
            id, topic, content_type, audience_level, body, quality_score, word_count, reading_minutes, educational_standards,
            tags, source_prompts, model, generation_ms, chapter_ids, outcome_ids, created_at, updated_at""";

    private final Pool pool;
    private final ObjectMapper json;

    public StudyMaterialStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    Uni<GeneratedView> insert(
            UUID userId,
            CreateGeneratedRequest request,
            StudyMaterialBodies.Measured measured,
            List<UUID> chapters,
            List<UUID> outcomeIds) {
        return pool.preparedQuery("""
                        INSERT INTO generated_content (id, user_id, topic, content_type, audience_level, body, quality_score, word_count,
                            reading_minutes, educational_standards, tags, source_prompts, model, generation_ms, chapter_ids, outcome_ids)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                        RETURNING\s""" + COLUMNS)
                .execute(Tuple.tuple()
                        .addUUID(Ids.newId())
                        .addUUID(userId)
                        .addString(request.topic().trim())
                        .addString(request.contentType())
                        .addString(request.audienceLevel())
                        .addValue(new JsonObject(write(request.body())))
                        .addDouble(request.qualityScore())
                        .addInteger(measured.words())
                        .addInteger(measured.readingMinutes())
                        .addValue(jsonValue(request.educationalStandards()))
                        .addArrayOfString(tags(request.tags()))
                        .addValue(jsonValue(request.sourcePrompts()))
                        .addString(request.model())
                        .addInteger(request.generationMs())
                        .addArrayOfUUID(chapters.toArray(UUID[]::new))
                        .addArrayOfUUID(outcomeIds.toArray(UUID[]::new)))
                .map(rows -> view(rows.iterator().next()));
    }

    /** The material if it is the caller's (or the caller is an admin). */
    Uni<Optional<Owned>> find(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery(
                        "SELECT user_id, " + COLUMNS + " FROM generated_content WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(new Owned(
                                rows.iterator().next().getUUID("user_id"),
                                view(rows.iterator().next())))
                        : Optional.empty());
    }

    /** Deletes the material if it is the caller's (or the caller is an admin); answers whether it did. */
    Uni<Boolean> delete(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery("DELETE FROM generated_content WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Up to {@code limit} of the user's material, newest first, after the given (created, id) key, filtered; one
     * statement whatever the filters.
     */
    Uni<List<GeneratedView>> page(UUID userId, Filter filter, Instant afterCreated, UUID afterId, int limit) {
        StringBuilder where = new StringBuilder("user_id = $1");
        Tuple params = Tuple.tuple().addUUID(userId);
        if (filter.type() != null) {
            params.addString(filter.type());
            where.append(" AND content_type = $").append(params.size());
        }
        if (filter.audience() != null) {
            params.addString(filter.audience());
            where.append(" AND audience_level = $").append(params.size());
        }
        if (filter.tag() != null) {
            params.addArrayOfString(new String[] {filter.tag().trim().toLowerCase(Locale.ROOT)});
            where.append(" AND tags @> $").append(params.size());
        }
        if (filter.chapter() != null) {
            params.addArrayOfUUID(new UUID[] {filter.chapter()});
            where.append(" AND chapter_ids @> $").append(params.size());
        }
        if (filter.query() != null && !filter.query().isBlank()) {
            params.addString(filter.query());
            where.append(" AND topic_tsv @@ plainto_tsquery('simple', $")
                    .append(params.size())
                    .append(')');
        }
        if (afterCreated != null) {
            params.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addUUID(afterId);
            where.append(" AND (created_at, id) < ($")
                    .append(params.size() - 1)
                    .append(", $")
                    .append(params.size())
                    .append(')');
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM generated_content WHERE " + where
                        + " ORDER BY created_at DESC, id DESC LIMIT " + limit)
                .execute(params)
                .map(rows -> {
                    List<GeneratedView> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r)));
                    return list;
                });
    }

    /** Everything generated by the user, oldest first. */
    Uni<List<GeneratedView>> ofUser(UUID userId) {
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM generated_content WHERE user_id = $1 ORDER BY created_at")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<GeneratedView> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r)));
                    return list;
                });
    }

    private GeneratedView view(Row r) {
        return new GeneratedView(
                r.getUUID("id"),
                r.getString("topic"),
                r.getString("content_type"),
                r.getString("audience_level"),
                node(r.getValue("body")),
                r.getDouble("quality_score"),
                r.getInteger("word_count"),
                r.getInteger("reading_minutes"),
                node(r.getValue("educational_standards")),
                List.of(r.getArrayOfStrings("tags")),
                node(r.getValue("source_prompts")),
                r.getString("model"),
                r.getInteger("generation_ms"),
                List.of(r.getArrayOfUUIDs("chapter_ids")),
                List.of(r.getArrayOfUUIDs("outcome_ids")),
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("updated_at")));
    }

    private JsonNode node(Object value) {
        try {
            return json.readTree(
                    value == null ? "null" : value instanceof String s ? json.writeValueAsString(s) : value.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object jsonValue(JsonNode node) {
        if (node == null || node.isNull()) {
            return new JsonArray();
        }
        String text = write(node);
        return node.isArray()
                ? new JsonArray(text)
                : node.isObject() ? new JsonObject(text) : new JsonArray().add(node.asText());
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("a JSON field cannot be stored");
        }
    }

    private static String[] tags(List<String> tags) {
        return tags == null
                ? new String[0]
                : tags.stream()
                        .map(t -> t.trim().toLowerCase(Locale.ROOT))
                        .distinct()
                        .toArray(String[]::new);
    }
}
