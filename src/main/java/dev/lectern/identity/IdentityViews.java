package dev.lectern.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the identity endpoints. */
public final class IdentityViews {

    static final String ROLE = "^(learner|author|admin|service)$";
    static final String ROLE_MESSAGE = "must be one of learner, author, admin, service";
    static final String LEVEL = "^(beginner|intermediate|advanced)$";

    private IdentityViews() {}

    @Schema(name = "Profile", description = "What the learner tells us about themselves, used for personalisation")
    public record ProfileView(
            @Pattern(regexp = LEVEL, message = "must be one of beginner, intermediate, advanced")
            @Schema(example = "intermediate")
            String experienceLevel,

            @Size(max = 2000) @Schema(example = "Python, some C++")
            String softwareBackground,

            @Size(max = 2000) @Schema(example = "Arduino and a Raspberry Pi")
            String hardwareBackground,

            @Size(max = 50) List<@NotBlank @Size(max = 100) String> preferredTopics,
            @Size(max = 4000) String learningGoals,

            @Pattern(
                    regexp = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                    message = "must be a BCP 47 language tag such as en or ur")
            @Schema(example = "ur")
            String preferredLanguage) {

        static ProfileView of(UserProfile p) {
            if (p == null) {
                return new ProfileView(null, null, null, List.of(), null, null);
            }
            return new ProfileView(
                    p.experienceLevel,
                    p.softwareBackground,
                    p.hardwareBackground,
                    p.preferredTopics == null ? List.of() : List.of(p.preferredTopics),
                    p.learningGoals,
                    p.preferredLanguage);
        }
    }

    @Schema(name = "Me", description = "The caller and their profile")
    public record MeView(
            UUID id,
            String displayName,
            String email,
            List<String> roles,
            String externalSubject,
            Instant createdAt,
            Instant updatedAt,
            ProfileView profile) {

        static MeView of(User u, UserProfile p) {
            return new MeView(
                    u.id,
                    u.displayName,
                    u.email,
                    List.of(u.roles),
                    u.externalSubject,
                    u.createdAt,
                    u.updatedAt,
                    ProfileView.of(p));
        }
    }

    @Schema(
            name = "UpdateMe",
            description = "Fields to change; absent fields stay as they are. Profile fields merge the same way.")
    public record UpdateMeRequest(
            @Size(min = 1, max = 200) String displayName,
            @Email @Size(max = 320) String email,
            @Valid ProfileView profile) {}

    @Schema(name = "User", description = "A user as an admin sees it")
    public record UserView(
            UUID id,
            String displayName,
            String email,
            String externalSubject,
            List<String> roles,
            Instant createdAt,
            Instant updatedAt,
            Instant lastSeenAt) {

        static UserView of(User u) {
            return new UserView(
                    u.id,
                    u.displayName,
                    u.email,
                    u.externalSubject,
                    List.of(u.roles),
                    u.createdAt,
                    u.updatedAt,
                    u.lastSeenAt);
        }
    }

    @Schema(name = "CreateUser")
    public record CreateUserRequest(
            @Size(min = 1, max = 200) @Schema(example = "Chat service")
            String displayName,

            @Email @Size(max = 320) String email,

            @Size(min = 1, max = 255) @Schema(description = "The auth server's `sub` for this user")
            String externalSubject,

            @Size(min = 1, max = 4) List<@NotNull @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String> roles) {}

    @Schema(name = "CreateApiKey")
    public record CreateApiKeyRequest(
            @NotBlank @Size(max = 100) @Schema(example = "rag-chat")
            String name,

            @Size(min = 1, max = 4)
            @Schema(description = "Roles the key carries; a subset of the user's roles (default: all of them)")
            List<@NotNull @Pattern(regexp = ROLE, message = ROLE_MESSAGE) String> roles,

            @Schema(description = "When the key stops working (optional)")
            Instant expiresAt) {}

    @Schema(name = "ApiKey", description = "API key metadata; the secret is never shown again")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ApiKeyView(
            UUID id,
            String name,
            String prefix,
            List<String> roles,
            Instant createdAt,
            Instant lastUsedAt,
            Instant expiresAt,
            Instant revokedAt) {

        static ApiKeyView of(ApiKey k) {
            return new ApiKeyView(
                    k.id, k.name, k.prefix, List.of(k.roles), k.createdAt, k.lastUsedAt, k.expiresAt, k.revokedAt);
        }
    }

    @Schema(name = "CreatedApiKey", description = "A new key: `key` is the only time the plaintext is shown")
    public record CreatedApiKeyView(
            UUID id,
            String name,
            String prefix,
            List<String> roles,
            Instant createdAt,
            Instant expiresAt,
            @Schema(example = "lk_ab12cd34ef56_...") String key) {}
}
