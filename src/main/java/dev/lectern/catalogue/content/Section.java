package dev.lectern.catalogue.content;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A heading-delimited part of a chapter; replaced as a whole when the chapter's content changes. */
@Entity
@Table(name = "sections")
public class Section {

    @Id
    public UUID id;

    @Column(name = "chapter_id")
    public UUID chapterId;

    public int number;

    @Column(columnDefinition = "text")
    public String title;

    @Column(columnDefinition = "text")
    public String anchor;

    @Column(columnDefinition = "text")
    public String body;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
