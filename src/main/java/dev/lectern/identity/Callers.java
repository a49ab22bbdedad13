package dev.lectern.identity;

import dev.lectern.platform.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.UUID;

/**
 * Reads Lectern's view of the caller off a {@link SecurityIdentity}: every authenticated identity carries the
 * id of the user it acts as (for a service acting on behalf of a learner, the learner), except the bootstrap
 * admin key, which is no user.
 */
public final class Callers {

    /** Attribute holding the acting user's id (UUID). */
    public static final String USER_ID = "lectern.user-id";
    /** Attribute holding the id of the service user acting on behalf of {@link #USER_ID}, if any. */
    public static final String ACTOR_ID = "lectern.actor-id";

    private Callers() {}

    /** The caller's user id, or a problem if the caller is no user (the bootstrap admin key). */
    public static UUID userId(SecurityIdentity identity) {
        UUID id = identity.getAttribute(USER_ID);
        if (id == null) {
            throw new ProblemException(
                    403,
                    "no-user",
                    "No user",
                    "the bootstrap admin key is not a user; "
                            + "create a user with POST /api/v1/admin/users and use its key for /api/v1/me",
                    null);
        }
        return id;
    }

    public static boolean isAdmin(SecurityIdentity identity) {
        return identity.hasRole(Roles.ADMIN);
    }

    /** Whether the caller may see drafts (unpublished books and chapters). */
    public static boolean canSeeDrafts(SecurityIdentity identity) {
        return identity.hasRole(Roles.AUTHOR) || identity.hasRole(Roles.ADMIN);
    }
}
