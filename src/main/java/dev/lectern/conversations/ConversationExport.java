package dev.lectern.conversations;

import dev.lectern.identity.ExportContributor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The conversations section of a user's GDPR export: every conversation with its messages and sources. */
@ApplicationScoped
public class ConversationExport implements ExportContributor {

    private final ConversationService conversations;

    public ConversationExport(ConversationService conversations) {
        this.conversations = conversations;
    }

    @Override
    public String section() {
        return "conversations";
    }

    @Override
    public Uni<Object> export(UUID userId, boolean drafts) {
        return conversations.export(userId, drafts).map(list -> (Object) list);
    }
}
