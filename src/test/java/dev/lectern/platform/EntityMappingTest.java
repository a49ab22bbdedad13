package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.Column;
import jakarta.persistence.JoinTable;
import jakarta.persistence.Table;
import jakarta.persistence.metamodel.EntityType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Every mapped entity field has a column of a compatible type in the migrated schema. Hibernate never generates
 * DDL here, and Hibernate Reactive does not fail start-up on a mismatch, so this test is what keeps the mapping
 * and the Flyway migrations in step.
 */
@QuarkusTest
class EntityMappingTest {

    private static final Map<Class<?>, List<String>> COMPATIBLE = Map.ofEntries(
            Map.entry(String.class, List.of("text", "character varying", "USER-DEFINED")),
            Map.entry(String[].class, List.of("ARRAY")),
            Map.entry(double[].class, List.of("ARRAY")),
            Map.entry(short.class, List.of("smallint")),
            Map.entry(byte[].class, List.of("bytea")),
            Map.entry(UUID.class, List.of("uuid")),
            Map.entry(Instant.class, List.of("timestamp with time zone")),
            Map.entry(int.class, List.of("integer")),
            Map.entry(Integer.class, List.of("integer")),
            Map.entry(long.class, List.of("bigint")),
            Map.entry(Long.class, List.of("bigint")),
            Map.entry(boolean.class, List.of("boolean")),
            Map.entry(Map.class, List.of("jsonb")),
            Map.entry(double.class, List.of("double precision")),
            Map.entry(Double.class, List.of("double precision")));

    @Inject
    Mutiny.SessionFactory sessionFactory;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres")
    String user;

    @Test
    void everyEntityFieldHasAMatchingColumn() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "")) {
            for (EntityType<?> entity : sessionFactory.getMetamodel().getEntities()) {
                Class<?> type = entity.getJavaType();
                String table = type.getAnnotation(Table.class).name();
                Map<String, String> columns = columns(c, table);
                if (columns.isEmpty()) {
                    problems.add(type.getSimpleName() + ": no table " + table);
                    continue;
                }
                for (Field field : type.getDeclaredFields()) {
                    // Skip static, transient and the fields Hibernate's bytecode enhancement adds ($$_hibernate_...).
                    if (Modifier.isStatic(field.getModifiers())
                            || Modifier.isTransient(field.getModifiers())
                            || field.isSynthetic()
                            || field.getName().startsWith("$$")) {
                        continue;
                    }
                    JoinTable join = field.getAnnotation(JoinTable.class);
                    if (join != null) {
                        Map<String, String> joinColumns = columns(c, join.name());
                        for (var jc : List.of(join.joinColumns()[0].name(), join.inverseJoinColumns()[0].name())) {
                            if (!"uuid".equals(joinColumns.get(jc))) {
                                problems.add(type.getSimpleName() + "." + field.getName() + ": join column "
                                        + join.name() + "." + jc);
                            }
                        }
                        continue;
                    }
                    Column column = field.getAnnotation(Column.class);
                    String name = column != null && !column.name().isEmpty() ? column.name() : field.getName();
                    String actual = columns.get(name);
                    List<String> expected = COMPATIBLE.get(field.getType());
                    checked++;
                    if (actual == null) {
                        problems.add(
                                type.getSimpleName() + "." + field.getName() + ": no column " + table + "." + name);
                    } else if (expected == null || !expected.contains(actual)) {
                        problems.add(type.getSimpleName() + "." + field.getName() + ": "
                                + field.getType().getSimpleName() + " mapped to " + table + "." + name + " of type "
                                + actual);
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(problems).isEmpty();
    }

    private static Map<String, String> columns(Connection c, String table) throws Exception {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }
}
