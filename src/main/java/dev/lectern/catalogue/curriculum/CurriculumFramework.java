package dev.lectern.catalogue.curriculum;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A curriculum framework (a national curriculum, a certification syllabus): the root of subjects and outcomes. */
@Entity
@Table(name = "curriculum_frameworks")
public class CurriculumFramework {

    @Id
    public UUID id;

    @Column(columnDefinition = "text")
    public String code;

    @Column(columnDefinition = "text")
    public String name;

    @Column(columnDefinition = "text")
    public String country;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> structure;

    @Column(name = "is_default")
    public boolean isDefault;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
