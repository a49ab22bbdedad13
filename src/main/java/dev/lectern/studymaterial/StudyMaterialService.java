package dev.lectern.studymaterial;

import static dev.lectern.platform.Timestamps.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.catalogue.curriculum.FrameworkService;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.progress.review.FlashcardService;
import dev.lectern.studymaterial.StudyMaterialViews.CreateGeneratedRequest;
import dev.lectern.studymaterial.StudyMaterialViews.GeneratedView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** AI-generated study material: validated per type, measured on write, filtered and full-text searched on read. */
@ApplicationScoped
public class StudyMaterialService {

    /** Filters of the list; null means "any". */
    public record Filter(String type, String audience, String tag, UUID chapter, String query) {}

    private static final String COLUMNS = """
            id, topic, content_type, audience_level, body, quality_score, word_count, reading_minutes, educational_standards,
            tags, source_prompts, model, generation_ms, chapter_ids, outcome_ids, created_at, updated_at""";

    private final Pool pool;
    private final ObjectMapper json;
    private final FrameworkService frameworks;
    private final FlashcardService flashcards;

    public StudyMaterialService(
            Pool pool, ObjectMapper json, FrameworkService frameworks, FlashcardService flashcards) {
        this.pool = pool;
        this.json = json;
        this.frameworks = frameworks;
        this.flashcards = flashcards;
    }

    public Uni<GeneratedView> create(UUID userId, CreateGeneratedRequest request) {
        StudyMaterialBodies.Measured measured = StudyMaterialBodies.measure(request.contentType(), request.body());
        List<UUID> chapters = request.chapterIds() == null
                ? List.of()
                : request.chapterIds().stream().distinct().toList();
        List<String> outcomeRefs = request.outcomes() == null
                ? List.of()
                : request.outcomes().stream().distinct().toList();
        return checkChapters(chapters)
                .chain(() -> Multi.createFrom()
                        .iterable(outcomeRefs)
                        .onItem()
                        .transformToUniAndConcatenate(ref -> frameworks.resolveOutcomeId(ref, "outcomes"))
                        .collect()
                        .asList())
                .chain(outcomeIds -> pool.preparedQuery("""
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
                                .addArrayOfUUID(outcomeIds.toArray(UUID[]::new))))
                .map(rows -> view(rows.iterator().next()));
    }

    public Uni<GeneratedView> get(UUID id, UUID callerId, boolean admin) {
        return row(id, callerId, admin).map(this::view);
    }

    public Uni<Void> delete(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery("DELETE FROM generated_content WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw notFound(id);
                    }
                    return null;
                });
    }

    /** The caller's material, newest first, filtered by type, audience, tag, chapter and full text on topic; one query. */
    public Uni<Page<GeneratedView>> list(UUID userId, Filter filter, int limit, String cursor) {
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
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, "generated", 2);
            OffsetDateTime created;
            try {
                created = OffsetDateTime.parse(key.get(0));
            } catch (java.time.format.DateTimeParseException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this list produced");
            }
            params.addOffsetDateTime(created).addUUID(Cursor.uuidKey(key.get(1)));
            where.append(" AND (created_at, id) < ($")
                    .append(params.size() - 1)
                    .append(", $")
                    .append(params.size())
                    .append(')');
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM generated_content WHERE " + where
                        + " ORDER BY created_at DESC, id DESC LIMIT " + (limit + 1))
                .execute(params)
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return Page.of(
                            list,
                            limit,
                            this::view,
                            r -> Cursor.encode("generated", r.getOffsetDateTime("created_at"), r.getUUID("id")));
                });
    }

    /** Turns a flashcard set into review items (one per card) in one statement; idempotent (see createCards). */
    public Uni<FlashcardService.CreatedCards> toReviewItems(UUID id, UUID callerId, boolean admin) {
        return row(id, callerId, admin).chain(r -> {
            if (!"flashcards".equals(r.getString("content_type"))) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                409,
                                "not-flashcards",
                                "Not flashcards",
                                "only a flashcards set can become review items; this is a "
                                        + r.getString("content_type"),
                                null));
            }
            StudyMaterialBodies.Measured measured = StudyMaterialBodies.measure("flashcards", node(r.getValue("body")));
            UUID[] chapters = r.getArrayOfUUIDs("chapter_ids");
            UUID[] outcomes = r.getArrayOfUUIDs("outcome_ids");
            return flashcards.createCards(
                    id,
                    r.getUUID("user_id"),
                    measured.cards(),
                    chapters.length > 0 ? chapters[0] : null,
                    outcomes.length > 0 ? outcomes[0] : null);
        });
    }

    /** Everything generated by the user, for the GDPR export. */
    public Uni<List<GeneratedView>> export(UUID userId) {
        return pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM generated_content WHERE user_id = $1 ORDER BY created_at")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<GeneratedView> list = new ArrayList<>();
                    rows.forEach(r -> list.add(view(r)));
                    return list;
                });
    }

    private Uni<Row> row(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery(
                        "SELECT user_id, " + COLUMNS + " FROM generated_content WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw notFound(id);
                    }
                    return rows.iterator().next();
                });
    }

    private Uni<Void> checkChapters(List<UUID> chapters) {
        if (chapters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("SELECT count(*) AS n FROM chapters WHERE id = ANY($1) AND deleted_at IS NULL")
                .execute(Tuple.of(chapters.toArray(UUID[]::new)))
                .map(rows -> {
                    if (rows.iterator().next().getLong("n") != chapters.size()) {
                        throw ProblemException.invalid("chapterIds", "names a chapter that does not exist");
                    }
                    return null;
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

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no generated material " + id);
    }
}
