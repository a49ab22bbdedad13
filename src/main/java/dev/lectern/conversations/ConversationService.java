package dev.lectern.conversations;

import static dev.lectern.platform.Timestamps.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.conversations.ConversationViews.AppendMessageRequest;
import dev.lectern.conversations.ConversationViews.ConversationView;
import dev.lectern.conversations.ConversationViews.CreateConversationRequest;
import dev.lectern.conversations.ConversationViews.MessageView;
import dev.lectern.conversations.ConversationViews.Source;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Chat conversations and their messages. Appending is idempotent with a client message id and counts the message
 * on the conversation in the same statement; every query is scoped to the owner (or an admin), and anything else is
 * a 404.
 */
@ApplicationScoped
public class ConversationService {

    private static final String CONVERSATION = """
            SELECT c.id, c.title, b.slug AS book, c.message_count, c.last_message_at, c.created_at, c.updated_at
            FROM conversations c LEFT JOIN books b ON b.id = c.book_id""";
    private static final String MESSAGE_COLUMNS = """
            id, seq, client_message_id, role, content, selected_text, sources, prompt_tokens, completion_tokens, model,
            latency_ms, created_at""";
    private static final TypeReference<List<Source>> SOURCES = new TypeReference<>() {};

    private final Pool pool;
    private final ObjectMapper json;

    public ConversationService(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    public Uni<ConversationView> create(UUID userId, CreateConversationRequest request) {
        String book = request == null ? null : request.book();
        String title = request == null || request.title() == null
                ? null
                : request.title().trim();
        return pool.preparedQuery("""
                WITH target AS (SELECT id FROM books WHERE slug = $4 AND deleted_at IS NULL),
                ins AS (
                    INSERT INTO conversations (id, user_id, book_id, title)
                    SELECT $1, $2, (SELECT id FROM target), $3
                    WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM target)
                    RETURNING *)
                SELECT ins.id, ins.title, $4::text AS book, ins.message_count, ins.last_message_at, ins.created_at, ins.updated_at
                FROM ins""")
                .execute(Tuple.of(Ids.newId(), userId, title, book))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw ProblemException.invalid("book", "names no book");
                    }
                    return conversation(rows.iterator().next());
                });
    }

    public Uni<ConversationView> get(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery(CONVERSATION + " WHERE c.id = $1 AND ($3 OR c.user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw notFound(id);
                    }
                    return conversation(rows.iterator().next());
                });
    }

    /** The caller's conversations, newest first. */
    public Uni<Page<ConversationView>> list(UUID userId, int limit, String cursor) {
        Tuple params = Tuple.tuple().addUUID(userId);
        String after = "";
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, "conversations", 2);
            params.addOffsetDateTime(timestamp(key.get(0))).addUUID(Cursor.uuidKey(key.get(1)));
            after = " AND (c.created_at, c.id) < ($2, $3)";
        }
        return pool.preparedQuery(CONVERSATION + " WHERE c.user_id = $1" + after
                        + " ORDER BY c.created_at DESC, c.id DESC LIMIT " + (limit + 1))
                .execute(params)
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return Page.of(
                            list,
                            limit,
                            ConversationService::conversation,
                            r -> Cursor.encode("conversations", r.getOffsetDateTime("created_at"), r.getUUID("id")));
                });
    }

    public Uni<ConversationView> rename(UUID id, UUID callerId, boolean admin, String title) {
        return pool.preparedQuery(
                        "UPDATE conversations SET title = $4, updated_at = now() WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin, title.trim()))
                .chain(rows ->
                        rows.rowCount() == 0 ? Uni.createFrom().failure(notFound(id)) : get(id, callerId, admin));
    }

    public Uni<Void> delete(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery("DELETE FROM conversations WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw notFound(id);
                    }
                    return null;
                });
    }

    /** A message appended, and whether it is new (false when its client message id was seen before). */
    public record Appended(MessageView message, boolean created) {}

    /**
     * Appends a message. The insert is ON CONFLICT DO NOTHING on (conversation, client message id), and the
     * conversation's count moves only when a row was inserted, so a retried append is stored and counted once.
     */
    public Uni<Appended> append(UUID conversationId, UUID callerId, boolean admin, AppendMessageRequest request) {
        String sources;
        try {
            sources = json.writeValueAsString(request.sources() == null ? List.of() : request.sources());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(ProblemException.invalid("sources", "cannot be stored"));
        }
        Tuple params = Tuple.tuple()
                .addUUID(Ids.newId())
                .addUUID(conversationId)
                .addUUID(callerId)
                .addBoolean(admin)
                .addString(request.clientMessageId())
                .addString(request.role())
                .addString(request.content())
                .addString(request.selectedText())
                .addValue(new JsonArray(sources))
                .addInteger(request.promptTokens())
                .addInteger(request.completionTokens())
                .addString(request.model())
                .addInteger(request.latencyMs());
        return pool.preparedQuery("""
                WITH conv AS (SELECT id, user_id FROM conversations WHERE id = $2 AND ($4 OR user_id = $3)),
                ins AS (
                    INSERT INTO messages (id, conversation_id, user_id, client_message_id, role, content, selected_text, sources,
                                          prompt_tokens, completion_tokens, model, latency_ms)
                    SELECT $1, conv.id, conv.user_id, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM conv
                    ON CONFLICT (conversation_id, client_message_id) DO NOTHING
                    RETURNING *),
                counted AS (
                    UPDATE conversations c SET message_count = c.message_count + 1, last_message_at = ins.created_at,
                                               updated_at = now()
                    FROM ins WHERE c.id = ins.conversation_id)
                SELECT (SELECT count(*) FROM conv) AS found, (SELECT count(*) FROM ins) AS inserted,
                       m.id, m.seq, m.client_message_id, m.role, m.content, m.selected_text, m.sources, m.prompt_tokens,
                       m.completion_tokens, m.model, m.latency_ms, m.created_at
                FROM (SELECT 1) one
                LEFT JOIN (SELECT * FROM ins
                           UNION ALL
                           SELECT * FROM messages WHERE conversation_id = $2 AND client_message_id = $5
                                                    AND NOT EXISTS (SELECT 1 FROM ins)) m ON true""").execute(params).chain(rows -> {
            Row r = rows.iterator().next();
            if (r.getLong("found") == 0) {
                return Uni.createFrom().failure(notFound(conversationId));
            }
            if (r.getUUID("id") != null) {
                return Uni.createFrom().item(new Appended(message(r), r.getLong("inserted") > 0));
            }
            // A concurrent append with the same client id committed after this statement's snapshot: read it now.
            return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS
                            + " FROM messages WHERE conversation_id = $1 AND client_message_id = $2")
                    .execute(Tuple.of(conversationId, request.clientMessageId()))
                    .map(again -> new Appended(message(again.iterator().next()), false));
        });
    }

    /** A conversation's messages in order, keyset-paginated for long histories. */
    public Uni<Page<MessageView>> messages(
            UUID conversationId, UUID callerId, boolean admin, int limit, String cursor) {
        long after = cursor == null
                ? 0
                : Cursor.longKey(Cursor.decode(cursor, "messages", 1).get(0));
        return get(conversationId, callerId, admin)
                .chain(c -> pool.preparedQuery("SELECT " + MESSAGE_COLUMNS
                                + " FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT "
                                + (limit + 1))
                        .execute(Tuple.of(conversationId, after))
                        .map(rows -> {
                            List<Row> list = new ArrayList<>();
                            rows.forEach(list::add);
                            return Page.of(
                                    list, limit, this::message, r -> Cursor.encode("messages", r.getLong("seq")));
                        }));
    }

    /** Every conversation of the user with its messages, for the GDPR export. */
    public Uni<List<Object>> export(UUID userId) {
        return pool.preparedQuery(CONVERSATION + " WHERE c.user_id = $1 ORDER BY c.created_at")
                .execute(Tuple.of(userId))
                .chain(conversations -> pool.preparedQuery("SELECT conversation_id, " + MESSAGE_COLUMNS
                                + " FROM messages WHERE user_id = $1 ORDER BY seq")
                        .execute(Tuple.of(userId))
                        .map(messages -> {
                            List<Object> out = new ArrayList<>();
                            for (Row c : conversations) {
                                List<MessageView> list = new ArrayList<>();
                                for (Row m : messages) {
                                    if (m.getUUID("conversation_id").equals(c.getUUID("id"))) {
                                        list.add(message(m));
                                    }
                                }
                                out.add(java.util.Map.of("conversation", conversation(c), "messages", list));
                            }
                            return out;
                        }));
    }

    private MessageView message(Row r) {
        if (r.getUUID("id") == null) {
            throw new IllegalStateException("no message row");
        }
        List<Source> sources;
        try {
            Object raw = r.getValue("sources");
            sources = json.readValue(raw == null ? "[]" : raw.toString(), SOURCES);
        } catch (JsonProcessingException e) {
            sources = List.of();
        }
        return new MessageView(
                r.getUUID("id"),
                r.getString("client_message_id"),
                r.getString("role"),
                r.getString("content"),
                r.getString("selected_text"),
                sources,
                r.getInteger("prompt_tokens"),
                r.getInteger("completion_tokens"),
                r.getString("model"),
                r.getInteger("latency_ms"),
                instant(r.getOffsetDateTime("created_at")));
    }

    private static ConversationView conversation(Row r) {
        return new ConversationView(
                r.getUUID("id"),
                r.getString("title"),
                r.getString("book"),
                r.getInteger("message_count"),
                instant(r.getOffsetDateTime("last_message_at")),
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("updated_at")));
    }

    private static OffsetDateTime timestamp(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this list produced");
        }
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no conversation " + id);
    }
}
