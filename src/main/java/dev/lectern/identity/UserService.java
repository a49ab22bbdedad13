package dev.lectern.identity;

import dev.lectern.identity.IdentityViews.CreateUserRequest;
import dev.lectern.identity.IdentityViews.MeView;
import dev.lectern.identity.IdentityViews.ProfileView;
import dev.lectern.identity.IdentityViews.UpdateMeRequest;
import dev.lectern.identity.IdentityViews.UserView;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import dev.lectern.platform.UncancellableTransactionInterceptor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Users and profiles: the caller's own view, admin management, GDPR export and erasure. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final UserProfileRepository profiles;
    private final ApiKeyRepository keys;
    private final Instance<ExportContributor> contributors;
    private final UserDirectory directory;
    private final ApiKeyVerifier verifier;
    private final Erasures erasures;

    public UserService(
            UserRepository users,
            UserProfileRepository profiles,
            ApiKeyRepository keys,
            Instance<ExportContributor> contributors,
            UserDirectory directory,
            ApiKeyVerifier verifier,
            Erasures erasures) {
        this.users = users;
        this.profiles = profiles;
        this.keys = keys;
        this.contributors = contributors;
        this.directory = directory;
        this.verifier = verifier;
        this.erasures = erasures;
    }

    @WithSession
    public Uni<MeView> me(UUID userId) {
        return user(userId).chain(u -> profiles.findById(userId).map(p -> MeView.of(u, p)));
    }

    @UncancellableTransaction
    public Uni<MeView> update(UUID userId, UpdateMeRequest request) {
        return user(userId)
                .chain(u -> profiles.findById(userId).chain(existing -> {
                    Instant now = Timestamps.now();
                    if (request.displayName() != null) {
                        u.displayName = request.displayName().trim();
                    }
                    if (request.email() != null) {
                        u.email = request.email().trim();
                    }
                    u.updatedAt = now;
                    UserProfile profile = existing;
                    Uni<UserProfile> saved = Uni.createFrom().item(existing);
                    if (request.profile() != null) {
                        if (profile == null) {
                            profile = new UserProfile();
                            profile.userId = userId;
                            profile.preferredTopics = new String[0];
                            profile.createdAt = now;
                            saved = profiles.persist(profile);
                        }
                        merge(profile, request.profile(), now);
                    }
                    return saved.call(users::flush).map(p -> MeView.of(u, p));
                }));
    }

    private static void merge(UserProfile profile, ProfileView changes, Instant now) {
        if (changes.experienceLevel() != null) {
            profile.experienceLevel = changes.experienceLevel();
        }
        if (changes.softwareBackground() != null) {
            profile.softwareBackground = changes.softwareBackground();
        }
        if (changes.hardwareBackground() != null) {
            profile.hardwareBackground = changes.hardwareBackground();
        }
        if (changes.preferredTopics() != null) {
            profile.preferredTopics = changes.preferredTopics().stream()
                    .map(String::trim)
                    .distinct()
                    .toArray(String[]::new);
        }
        if (changes.learningGoals() != null) {
            profile.learningGoals = changes.learningGoals();
        }
        if (changes.preferredLanguage() != null) {
            profile.preferredLanguage = changes.preferredLanguage();
        }
        profile.updatedAt = now;
    }

    @UncancellableTransaction
    public Uni<UserView> create(CreateUserRequest request) {
        Instant now = Timestamps.now();
        User user = new User();
        user.id = Ids.newId();
        user.displayName =
                request.displayName() == null ? null : request.displayName().trim();
        user.email = request.email();
        user.externalSubject = request.externalSubject();
        user.roles = request.roles() == null
                ? new String[] {Roles.LEARNER}
                : request.roles().stream().distinct().toArray(String[]::new);
        user.createdAt = now;
        user.updatedAt = now;
        return users.persist(user).call(users::flush).map(UserView::of);
    }

    @WithSession
    public Uni<Page<UserView>> list(int limit, String cursor) {
        UUID after = cursor == null
                ? null
                : Cursor.uuidKey(Cursor.decode(cursor, "users", 1).get(0));
        return users.pageAfter(after, limit)
                .map(rows -> Page.of(rows, limit, UserView::of, u -> Cursor.encode("users", u.id)));
    }

    /** The user with this external subject, as a page of at most one (a filter on the user list). */
    @WithSession
    public Uni<Page<UserView>> findBySubject(String externalSubject) {
        return users.findBySubject(externalSubject)
                .map(u -> new Page<>(u == null ? List.of() : List.of(UserView.of(u)), null));
    }

    /** Erases the user the auth server knows by this subject, as {@link #erase} does; 404 when there is none. */
    public Uni<Void> eraseBySubject(String externalSubject) {
        return Panache.withSession(() -> users.findBySubject(externalSubject))
                .chain(u ->
                        u == null ? Uni.createFrom().failure(ProblemException.notFound("no such user")) : erase(u.id));
    }

    /**
     * Erases a user and everything they own in one transaction (ON DELETE CASCADE from users), then drops what
     * is derived elsewhere (authentication caches) and hands over to {@link Erasures}: a log line with a keyed token,
     * not the id or any personal data, and a fresh ANALYZE of the erased tables.
     */
    public Uni<Void> erase(UUID userId) {
        return UncancellableTransactionInterceptor.run(() -> users.erase(userId))
                .invoke(deleted -> {
                    if (deleted == 0) {
                        throw ProblemException.notFound("no such user");
                    }
                })
                .call(directory::forgetAll)
                .call(verifier::invalidateAll)
                .invoke(() -> erasures.erased(userId))
                .replaceWithVoid();
    }

    /**
     * Everything the user owns, as one document: profile, key metadata and each feature's section, naming only the
     * content a caller who does (or does not) see drafts may read.
     */
    @WithSession
    public Uni<Map<String, Object>> export(UUID userId, boolean drafts) {
        return me(userId)
                .chain(me -> keys.ofUser(userId).map(list -> {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("exportedAt", Timestamps.now());
                    doc.put("user", me);
                    doc.put(
                            "apiKeys",
                            list.stream().map(IdentityViews.ApiKeyView::of).toList());
                    return doc;
                }))
                .chain(doc -> Multi.createFrom()
                        .iterable(contributors)
                        .onItem()
                        .transformToUniAndConcatenate(
                                c -> c.export(userId, drafts).invoke(data -> doc.put(c.section(), data)))
                        .collect()
                        .last()
                        .replaceWith(doc));
    }

    private Uni<User> user(UUID userId) {
        return users.findById(userId).onItem().ifNull().failWith(() -> ProblemException.notFound("no such user"));
    }
}
