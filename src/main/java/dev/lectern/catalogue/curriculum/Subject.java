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

@Entity
@Table(name = "subjects")
public class Subject {

    @Id
    public UUID id;

    @Column(name = "framework_id")
    public UUID frameworkId;

    @Column(columnDefinition = "text")
    public String code;

    @Column(columnDefinition = "text")
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> config;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
