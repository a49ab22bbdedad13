package dev.lectern.catalogue.content;

import dev.lectern.catalogue.curriculum.Outcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A chapter of a book: its Markdown body and metadata. {@code version} moves only when the content changes
 * (an identical re-upload does not touch the row) and guards concurrent writers optimistically.
 */
@Entity
@Table(name = "chapters")
public class Chapter {

    @Id
    public UUID id;

    @Column(name = "book_id")
    public UUID bookId;

    @Column(columnDefinition = "text")
    public String slug;

    public int number;

    @Column(columnDefinition = "text")
    public String title;

    @Column(columnDefinition = "text")
    public String summary;

    @Column(columnDefinition = "text")
    public String difficulty;

    @Column(name = "estimated_reading_minutes")
    public int estimatedReadingMinutes;

    @Column(columnDefinition = "text")
    public String author;

    public boolean published;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(columnDefinition = "text")
    public String body;

    @Column(name = "content_hash", columnDefinition = "text")
    public String contentHash;

    /** The page's path in the docs folder it was imported from; null for chapters written through the API. */
    @Column(name = "source_path", columnDefinition = "text")
    public String sourcePath;

    @Version
    public long version;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @ManyToMany
    @JoinTable(
            name = "chapter_outcomes",
            joinColumns = @JoinColumn(name = "chapter_id"),
            inverseJoinColumns = @JoinColumn(name = "outcome_id"))
    public Set<Outcome> outcomes = new HashSet<>();
}
