package dev.lectern.identity;

import dev.lectern.platform.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as Lectern sees it: the user the request acts as (for a service acting on behalf of a learner, the
 * learner), the service user acting for them if any, and the roles. Read off the authenticated identity (see
 * {@link CallerAugmentor}); resources get it from {@link CurrentCaller}, services receive it or its parts.
 *
 * @param userId the acting user; null for the bootstrap admin key (which is no user) and for an anonymous caller
 * @param actorId the service user acting on behalf of {@code userId}, or null
 * @param keyExpiresAt when the API key the request came with stops working; null for a key without expiry and for
 *     other credentials
 */
public record Caller(UUID userId, UUID actorId, Set<String> roles, Instant keyExpiresAt) {

    /** Identity attribute holding the acting user's id (UUID). */
    public static final String USER_ID = "lectern.user-id";
    /** Identity attribute holding the id of the service user acting on behalf of {@link #USER_ID}, if any. */
    public static final String ACTOR_ID = "lectern.actor-id";
    /** Identity attribute holding the expiry ({@link Instant}) of the API key the request authenticated with. */
    public static final String KEY_EXPIRES_AT = "lectern.api-key-expires-at";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public static Caller of(SecurityIdentity identity) {
        return new Caller(
                identity.getAttribute(USER_ID),
                identity.getAttribute(ACTOR_ID),
                identity.getRoles(),
                identity.getAttribute(KEY_EXPIRES_AT));
    }

    /** The acting user's id, or a 403 problem if the caller is no user (the bootstrap admin key). */
    public UUID requireUser() {
        if (userId == null) {
            throw new ProblemException(
                    403,
                    "no-user",
                    "No user",
                    "the bootstrap admin key is not a user; "
                            + "create a user with POST /api/v1/admin/users and use its key for /api/v1/me",
                    null);
        }
        return userId;
    }

    public boolean admin() {
        return roles.contains(Roles.ADMIN);
    }

    /** Whether the caller may see drafts (unpublished books and chapters): authors and admins. */
    public boolean canSeeDrafts() {
        return roles.contains(Roles.AUTHOR) || roles.contains(Roles.ADMIN);
    }
}
