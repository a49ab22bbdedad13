package dev.lectern.identity;

import dev.lectern.platform.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;

/**
 * The rules of acting for someone else, in one place. A service acting for a user with {@code X-On-Behalf-Of} never
 * gains power through the user it names:
 * <ul>
 * <li>it may name only users all of whose roles are among {@code lectern.auth.delegation.users} (learners by default);
 * <li>whoever it names, it acts only as a learner: never as that user's author or admin;
 * <li>it may not create API keys for the user (a credential that would outlive the delegation) or erase the user's
 * account unless configuration allows it.
 * </ul>
 */
@ApplicationScoped
public class Delegation {

    /** All a delegate may act as, whatever the user it names holds. */
    static final Set<String> DELEGATE_ROLES = Set.of(Roles.LEARNER);

    private final AuthConfig.DelegationConfig config;

    @Inject
    public Delegation(AuthConfig config) {
        this(config.delegation());
    }

    Delegation(AuthConfig.DelegationConfig config) {
        this.config = config;
    }

    /** The roles a delegate acting for a user with these roles gets; a 403 problem if it may not act for them. */
    Set<String> rolesActingFor(Set<String> userRoles) {
        if (!config.users().containsAll(userRoles)) {
            throw forbidden("a service may act only for users whose roles are within "
                    + config.users().stream().sorted().toList() + " (lectern.auth.delegation.users)");
        }
        Set<String> roles = new HashSet<>(userRoles);
        roles.retainAll(DELEGATE_ROLES);
        return Set.copyOf(roles);
    }

    /** Refuses a delegate's attempt to create an API key for the user it acts for, unless configured. */
    public void checkMayCreateKeys(Caller caller) {
        if (caller.actorId() != null && !config.createKeys()) {
            throw forbidden("a service acting for a user may not create API keys for them "
                    + "(lectern.auth.delegation.create-keys)");
        }
    }

    /** Refuses a delegate's attempt to erase the account of the user it acts for, unless configured. */
    public void checkMayErase(Caller caller) {
        if (caller.actorId() != null && !config.erase()) {
            throw forbidden("a service acting for a user may not erase their account (lectern.auth.delegation.erase)");
        }
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail, null);
    }
}
