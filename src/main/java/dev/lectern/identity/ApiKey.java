package dev.lectern.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API key's metadata and the SHA-256 of its secret; the plaintext exists only in the creation response. */
@Entity
@Table(name = "api_keys")
public class ApiKey {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    @Column(columnDefinition = "text")
    public String name;

    @Column(columnDefinition = "text")
    public String prefix;

    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(columnDefinition = "_text" /* PostgreSQL's name for text[], as schema validation reads it */)
    public String[] roles;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
