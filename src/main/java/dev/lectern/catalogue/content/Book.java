package dev.lectern.catalogue.content;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "books")
public class Book {

    @Id
    public UUID id;

    @Column(columnDefinition = "text")
    public String slug;

    @Column(columnDefinition = "text")
    public String title;

    @Column(columnDefinition = "text")
    public String description;

    @Column(columnDefinition = "text")
    public String language;

    public boolean published;

    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
