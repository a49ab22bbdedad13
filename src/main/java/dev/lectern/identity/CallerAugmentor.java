package dev.lectern.identity;

import dev.lectern.platform.ProblemException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns an authenticated identity into a Lectern caller:
 * <ol>
 * <li>a JWT's {@code sub} becomes a user (provisioned on first sight) whose roles come from Lectern, not the token;</li>
 * <li>a caller with the service role may act for a user with {@code X-On-Behalf-Of: <userId or external subject>}:
 * the identity becomes that user, with the service user recorded as the actor and only the roles {@link Delegation}
 * grants a delegate.</li>
 * </ol>
 */
@ApplicationScoped
public class CallerAugmentor implements SecurityIdentityAugmentor {

    public static final String ON_BEHALF_OF = "X-On-Behalf-Of";
    /** The longest external subject a user may have (users_external_subject_check). */
    static final int MAX_SUBJECT_LENGTH = 255;

    private final UserDirectory users;
    private final Delegation delegation;

    public CallerAugmentor(UserDirectory users, Delegation delegation) {
        this.users = users;
        this.delegation = delegation;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return augment(identity, context, java.util.Map.of());
    }

    @Override
    public Uni<SecurityIdentity> augment(
            SecurityIdentity identity, AuthenticationRequestContext context, java.util.Map<String, Object> attributes) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Uni<SecurityIdentity> caller =
                identity.getPrincipal() instanceof JsonWebToken jwt && identity.getAttribute(Caller.USER_ID) == null
                        ? fromJwt(jwt)
                        : Uni.createFrom().item(identity);
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        if (http == null) {
            http = HttpSecurityUtils.getRoutingContextAttribute(identity);
        }
        String onBehalfOf = http == null ? null : http.request().getHeader(ON_BEHALF_OF);
        if (onBehalfOf == null) {
            return caller;
        }
        return caller.chain(c -> actFor(c, onBehalfOf));
    }

    private Uni<SecurityIdentity> fromJwt(JsonWebToken jwt) {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return Uni.createFrom()
                    .failure(new io.quarkus.security.AuthenticationFailedException("token has no sub claim"));
        }
        String name = jwt.getClaim("name");
        return users.provision(subject, name).map(known -> identity(known.userId(), known.roles(), null));
    }

    private Uni<SecurityIdentity> actFor(SecurityIdentity caller, String target) {
        if (!caller.hasRole(Roles.SERVICE)) {
            return Uni.createFrom().failure(new ForbiddenException(ON_BEHALF_OF + " requires the service role"));
        }
        String named = target.trim();
        if (named.isEmpty() || named.length() > MAX_SUBJECT_LENGTH) {
            return Uni.createFrom()
                    .failure(ProblemException.invalid(
                            ON_BEHALF_OF, "must be a user id or an external subject of 1 to 255 characters"));
        }
        UUID actor = caller.getAttribute(Caller.USER_ID);
        return resolve(named)
                .map(found -> found.map(
                                known -> identity(known.userId(), delegation.rolesActingFor(known.roles()), actor))
                        .orElseThrow(() -> ProblemException.invalid(ON_BEHALF_OF, "names no user")));
    }

    /**
     * The user a delegate names: by Lectern id when the value is a UUID naming a user, else by the auth server's
     * subject ({@code users.externalSubject}). The id wins when a value could be both (an auth server that issues
     * UUID subjects), so a Lectern id always means the same user.
     */
    private Uni<Optional<UserDirectory.Known>> resolve(String named) {
        UUID id = parseUuid(named);
        Uni<Optional<UserDirectory.Known>> byId = id == null ? Uni.createFrom().item(Optional.empty()) : users.find(id);
        return byId.chain(found -> found.isPresent() ? Uni.createFrom().item(found) : users.findBySubject(named));
    }

    private static UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static SecurityIdentity identity(UUID userId, Set<String> roles, UUID actor) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(userId.toString()))
                .addRoles(roles)
                .addAttribute(Caller.USER_ID, userId);
        if (actor != null) {
            builder.addAttribute(Caller.ACTOR_ID, actor);
        }
        return builder.build();
    }
}
