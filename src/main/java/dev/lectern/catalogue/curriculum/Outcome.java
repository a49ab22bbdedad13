package dev.lectern.catalogue.curriculum;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A learning outcome of a framework, optionally under a subject; chapters link to the outcomes they teach. */
@Entity
@Table(name = "outcomes")
public class Outcome {

    @Id
    public UUID id;

    @Column(name = "framework_id")
    public UUID frameworkId;

    @Column(name = "subject_id")
    public UUID subjectId;

    @Column(columnDefinition = "text")
    public String code;

    @Column(columnDefinition = "text")
    public String description;

    @Column(columnDefinition = "text")
    public String stage;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
