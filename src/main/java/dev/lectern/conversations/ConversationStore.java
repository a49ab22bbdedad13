package dev.lectern.conversations;

import static dev.lectern.platform.Timestamps.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.catalogue.content.VisibleContent;
import dev.lectern.conversations.ConversationViews.AppendMessageRequest;
import dev.lectern.conversations.ConversationViews.ConversationView;
import dev.lectern.conversations.ConversationViews.MessageView;
import dev.lectern.conversations.ConversationViews.Source;
import dev.lectern.platform.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of conversations and messages: every statement scoped to the owner (or an admin) in its WHERE clause, and
 * appending a message with its count in one statement.
 */
@ApplicationScoped
public class ConversationStore {

    /** A message with its position in the conversation, which pages are keyed by. */
    record Numbered(long seq, MessageView message) {}

    /** What an append found: whether the conversation is the caller's, the message if known, and if it was inserted. */
    record Append(boolean found, Optional<MessageView> message, boolean inserted) {}

    /**
     * The conversation query for callers who see drafts (true) and for those who do not (false): a conversation about
     * a book the caller may not read (deleted, or unpublished since) is kept, but the book is not named.
     */
    private static final Map<Boolean, String> CONVERSATION =
            Map.of(true, conversation(true), false, conversation(false));

    /** Creating a conversation, about a book the caller may read when one is named. */
    private static final Map<Boolean, String> INSERT = Map.of(true, insert(true), false, insert(false));

    private static final String MESSAGE_COLUMNS = """
            id, seq, client_message_id, role, content, selected_text, sources, prompt_tokens, completion_tokens, model,
            latency_ms, created_at""";
    private static final TypeReference<List<Source>> SOURCES = new TypeReference<>() {};

    private final Pool pool;
    private final ObjectMapper json;

    public ConversationStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    private static String conversation(boolean drafts) {
        return """
                SELECT c.id, c.title, b.slug AS book, c.message_count, c.last_message_at, c.created_at, c.updated_at
                FROM conversations c LEFT JOIN %s b ON b.id = c.book_id""".formatted(VisibleContent.books(drafts));
    }

    private static String insert(boolean drafts) {
        return """
                WITH target AS (SELECT id FROM %s WHERE slug = $4),
                ins AS (
                    INSERT INTO conversations (id, user_id, book_id, title)
                    SELECT $1, $2, (SELECT id FROM target), $3
                    WHERE $4::text IS NULL OR EXISTS (SELECT 1 FROM target)
                    RETURNING *)
                SELECT ins.id, ins.title, $4::text AS book, ins.message_count, ins.last_message_at, ins.created_at, ins.updated_at
                FROM ins""".formatted(VisibleContent.books(drafts));
    }

    /**
     * Creates a conversation, linked to the book when {@code book} is given; empty if the caller may read no such book
     * (a draft, for a learner, is no such book).
     */
    Uni<Optional<ConversationView>> insert(UUID userId, String title, String book, boolean drafts) {
        return pool.preparedQuery(INSERT.get(drafts))
                .execute(Tuple.of(Ids.newId(), userId, title, book))
                .map(rows -> first(rows).map(ConversationStore::conversation));
    }

    Uni<Optional<ConversationView>> find(UUID id, UUID callerId, boolean admin, boolean drafts) {
        return pool.preparedQuery(CONVERSATION.get(drafts) + " WHERE c.id = $1 AND ($3 OR c.user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> first(rows).map(ConversationStore::conversation));
    }

    /** Up to {@code limit} of the user's conversations, newest first, after the given (created, id) key. */
    Uni<List<ConversationView>> page(UUID userId, boolean drafts, Instant afterCreated, UUID afterId, int limit) {
        Tuple params = Tuple.tuple().addUUID(userId);
        String after = "";
        if (afterCreated != null) {
            params.addOffsetDateTime(afterCreated.atOffset(ZoneOffset.UTC)).addUUID(afterId);
            after = " AND (c.created_at, c.id) < ($2, $3)";
        }
        return pool.preparedQuery(CONVERSATION.get(drafts) + " WHERE c.user_id = $1" + after
                        + " ORDER BY c.created_at DESC, c.id DESC LIMIT " + limit)
                .execute(params)
                .map(rows -> {
                    List<ConversationView> list = new ArrayList<>();
                    rows.forEach(r -> list.add(conversation(r)));
                    return list;
                });
    }

    /** Answers whether a conversation of the caller's was renamed. */
    Uni<Boolean> rename(UUID id, UUID callerId, boolean admin, String title) {
        return pool.preparedQuery(
                        "UPDATE conversations SET title = $4, updated_at = now() WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin, title))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Answers whether a conversation of the caller's was deleted. */
    Uni<Boolean> delete(UUID id, UUID callerId, boolean admin) {
        return pool.preparedQuery("DELETE FROM conversations WHERE id = $1 AND ($3 OR user_id = $2)")
                .execute(Tuple.of(id, callerId, admin))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * The insert is ON CONFLICT DO NOTHING on (conversation, client message id), and the conversation's count moves
     * only when a row was inserted, so a retried append is stored and counted once.
     */
    Uni<Append> append(
            UUID conversationId, UUID callerId, boolean admin, AppendMessageRequest request, String sources) {
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
                                                    AND NOT EXISTS (SELECT 1 FROM ins)) m ON true""").execute(params).map(rows -> {
            Row r = rows.iterator().next();
            return new Append(
                    r.getLong("found") > 0,
                    r.getUUID("id") == null ? Optional.empty() : Optional.of(message(r)),
                    r.getLong("inserted") > 0);
        });
    }

    /** A message of the conversation by its client message id. */
    Uni<MessageView> byClientId(UUID conversationId, String clientMessageId) {
        return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS
                        + " FROM messages WHERE conversation_id = $1 AND client_message_id = $2")
                .execute(Tuple.of(conversationId, clientMessageId))
                .map(rows -> message(rows.iterator().next()));
    }

    /** Up to {@code limit} messages in order, after position {@code afterSeq}. */
    Uni<List<Numbered>> messages(UUID conversationId, long afterSeq, int limit) {
        return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS
                        + " FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT " + limit)
                .execute(Tuple.of(conversationId, afterSeq))
                .map(rows -> {
                    List<Numbered> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new Numbered(r.getLong("seq"), message(r))));
                    return list;
                });
    }

    /** Every conversation of the user with its messages, in two statements; books named as in the views. */
    Uni<List<Object>> export(UUID userId, boolean drafts) {
        return pool.preparedQuery(CONVERSATION.get(drafts) + " WHERE c.user_id = $1 ORDER BY c.created_at")
                .execute(Tuple.of(userId))
                .chain(conversations -> pool.preparedQuery("SELECT conversation_id, " + MESSAGE_COLUMNS
                                + " FROM messages WHERE user_id = $1 ORDER BY seq")
                        .execute(Tuple.of(userId))
                        .map(messages -> {
                            Map<UUID, List<MessageView>> byConversation = new LinkedHashMap<>();
                            for (Row m : messages) {
                                byConversation
                                        .computeIfAbsent(m.getUUID("conversation_id"), k -> new ArrayList<>())
                                        .add(message(m));
                            }
                            List<Object> out = new ArrayList<>();
                            for (Row c : conversations) {
                                out.add(Map.of(
                                        "conversation",
                                        conversation(c),
                                        "messages",
                                        byConversation.getOrDefault(c.getUUID("id"), List.of())));
                            }
                            return out;
                        }));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(rows.iterator().next()) : Optional.empty();
    }

    private MessageView message(Row r) {
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
}
