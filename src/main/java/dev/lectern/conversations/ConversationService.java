package dev.lectern.conversations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lectern.catalogue.content.ChapterService;
import dev.lectern.conversations.ConversationViews.AppendMessageRequest;
import dev.lectern.conversations.ConversationViews.ConversationView;
import dev.lectern.conversations.ConversationViews.CreateConversationRequest;
import dev.lectern.conversations.ConversationViews.MessageView;
import dev.lectern.conversations.ConversationViews.Source;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Chat conversations and their messages. Appending is idempotent with a client message id and counts the message
 * on the conversation in the same statement; every query is scoped to the owner (or an admin), and anything else is
 * a 404. A conversation and its citations may name only content the caller may read: a draft, for a learner, is
 * answered as content that does not exist, and a book unpublished since is no longer named. The statements are in
 * {@link ConversationStore}.
 */
@ApplicationScoped
public class ConversationService {

    private final ConversationStore store;
    private final ChapterService chapters;
    private final ObjectMapper json;

    public ConversationService(ConversationStore store, ChapterService chapters, ObjectMapper json) {
        this.store = store;
        this.chapters = chapters;
        this.json = json;
    }

    public Uni<ConversationView> create(UUID userId, CreateConversationRequest request, boolean drafts) {
        String book = request == null ? null : request.book();
        String title = request == null || request.title() == null
                ? null
                : request.title().trim();
        return store.insert(userId, title, book, drafts)
                .map(created -> created.orElseThrow(() -> ProblemException.invalid("book", "names no book")));
    }

    public Uni<ConversationView> get(UUID id, UUID callerId, boolean admin, boolean drafts) {
        return store.find(id, callerId, admin, drafts).map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /** The caller's conversations, newest first. */
    public Uni<Page<ConversationView>> list(UUID userId, boolean drafts, int limit, String cursor) {
        Instant afterCreated = null;
        UUID afterId = null;
        if (cursor != null) {
            List<String> key = Cursor.decode(cursor, "conversations", 2);
            afterCreated = Cursor.timestampKey(key.get(0)).toInstant();
            afterId = Cursor.uuidKey(key.get(1));
        }
        return store.page(userId, drafts, afterCreated, afterId, limit + 1)
                .map(list -> Page.of(
                        list,
                        limit,
                        c -> c,
                        c -> Cursor.encode("conversations", c.createdAt().atOffset(ZoneOffset.UTC), c.id())));
    }

    public Uni<ConversationView> rename(UUID id, UUID callerId, boolean admin, boolean drafts, String title) {
        return store.rename(id, callerId, admin, title.trim())
                .chain(renamed -> renamed
                        ? get(id, callerId, admin, drafts)
                        : Uni.createFrom().failure(notFound(id)));
    }

    public Uni<Void> delete(UUID id, UUID callerId, boolean admin) {
        return store.delete(id, callerId, admin).map(deleted -> {
            if (!deleted) {
                throw notFound(id);
            }
            return null;
        });
    }

    /** A message appended, and whether it is new (false when its client message id was seen before). */
    public record Appended(MessageView message, boolean created) {}

    /**
     * Appends a message; a retried append (the same client message id) is stored and counted once. A source may cite
     * only a chapter the caller may read.
     */
    public Uni<Appended> append(
            UUID conversationId, UUID callerId, boolean admin, boolean drafts, AppendMessageRequest request) {
        List<Source> cited = request.sources() == null ? List.of() : request.sources();
        String sources;
        try {
            sources = json.writeValueAsString(cited);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(ProblemException.invalid("sources", "cannot be stored"));
        }
        return checkCitedChapters(cited, drafts)
                .chain(() -> store.append(conversationId, callerId, admin, request, sources))
                .chain(result -> appended(conversationId, request, result));
    }

    private Uni<Appended> appended(UUID conversationId, AppendMessageRequest request, ConversationStore.Append result) {
        if (!result.found()) {
            return Uni.createFrom().failure(notFound(conversationId));
        }
        if (result.message().isPresent()) {
            return Uni.createFrom().item(new Appended(result.message().get(), result.inserted()));
        }
        // A concurrent append with the same client id committed after this statement's snapshot: read it now.
        return store.byClientId(conversationId, request.clientMessageId()).map(message -> new Appended(message, false));
    }

    /** A conversation's messages in order, keyset-paginated for long histories. */
    public Uni<Page<MessageView>> messages(
            UUID conversationId, UUID callerId, boolean admin, int limit, String cursor) {
        long after = cursor == null
                ? 0
                : Cursor.longKey(Cursor.decode(cursor, "messages", 1).get(0));
        return get(conversationId, callerId, admin, true)
                .chain(c -> store.messages(conversationId, after, limit + 1))
                .map(list -> Page.of(
                        list, limit, ConversationStore.Numbered::message, m -> Cursor.encode("messages", m.seq())));
    }

    /** Every conversation of the user with its messages, for the GDPR export; books named as in the views. */
    public Uni<List<Object>> export(UUID userId, boolean drafts) {
        return store.export(userId, drafts);
    }

    /**
     * Every chapter a source cites by id must be one the caller may read, in one statement; the first that is not is
     * refused as naming no chapter, whether it is a draft or nothing at all.
     */
    private Uni<Void> checkCitedChapters(List<Source> cited, boolean drafts) {
        List<UUID> ids = cited.stream()
                .map(Source::chapterId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return chapters.visibleIds(ids, drafts).map(readable -> {
            for (int i = 0; i < cited.size(); i++) {
                UUID id = cited.get(i).chapterId();
                if (id != null && !readable.contains(id)) {
                    throw ProblemException.invalid("sources[" + i + "].chapterId", "names no chapter");
                }
            }
            return null;
        });
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no conversation " + id);
    }
}
