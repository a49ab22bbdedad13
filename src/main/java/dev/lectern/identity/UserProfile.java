package dev.lectern.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** What a learner tells us about themselves, used to personalise content. */
@Entity
@Table(name = "user_profiles")
public class UserProfile {

    @Id
    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "experience_level", columnDefinition = "text")
    public String experienceLevel;

    @Column(name = "software_background", columnDefinition = "text")
    public String softwareBackground;

    @Column(name = "hardware_background", columnDefinition = "text")
    public String hardwareBackground;

    @Column(
            name = "preferred_topics",
            columnDefinition = "_text" /* PostgreSQL's name for text[], as schema validation reads it */)
    public String[] preferredTopics;

    @Column(name = "learning_goals", columnDefinition = "text")
    public String learningGoals;

    @Column(name = "preferred_language", columnDefinition = "text")
    public String preferredLanguage;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
