package dev.lectern.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person or service known to Lectern, mapped from the auth server's subject or created by an admin. */
@Entity
@Table(name = "users")
public class User {

    @Id
    public UUID id;

    @Column(name = "external_subject", columnDefinition = "text")
    public String externalSubject;

    @Column(columnDefinition = "citext")
    public String email;

    @Column(name = "display_name", columnDefinition = "text")
    public String displayName;

    @Column(columnDefinition = "_text" /* PostgreSQL's name for text[], as schema validation reads it */)
    public String[] roles;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;
}
