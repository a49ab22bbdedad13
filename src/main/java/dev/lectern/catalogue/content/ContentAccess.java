package dev.lectern.catalogue.content;

import dev.lectern.catalogue.ContentConfig;
import dev.lectern.identity.Caller;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may read what in the catalogue: published content is public unless {@code lectern.content.public=false};
 * drafts (unpublished books and chapters) are visible to authors and admins only, and answer 404 to everyone else.
 */
@ApplicationScoped
public class ContentAccess {

    private final CurrentIdentityAssociation identities;
    private final boolean contentPublic;

    public ContentAccess(CurrentIdentityAssociation identities, ContentConfig config) {
        this.identities = identities;
        this.contentPublic = config.publicReads();
    }

    /**
     * Resolves the caller without blocking (authentication is lazy) and tells whether they may see drafts; fails with
     * 401 for an anonymous caller when content is not public, or for invalid credentials.
     */
    public Uni<Boolean> reader() {
        return identities.getDeferredIdentity().map(identity -> reader(identity.isAnonymous(), Caller.of(identity)));
    }

    /**
     * The same rule for a caller resolved elsewhere (the MCP endpoint): whether they may see drafts, or a 401 for an
     * anonymous caller when content is not public.
     */
    public boolean reader(boolean anonymous, Caller caller) {
        if (anonymous && !contentPublic) {
            throw new UnauthorizedException();
        }
        return caller.canSeeDrafts();
    }
}
