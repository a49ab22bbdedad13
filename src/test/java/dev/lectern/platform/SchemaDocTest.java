package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/schema.md documents exactly the tables the Flyway migrations create: the Mermaid {@code erDiagram} declares
 * one entity per table, relationships only join declared entities, and the "Tables" section has one
 * {@code ### table} heading per table. Plain JUnit on a private scratch database (see {@link ScratchDatabase}).
 */
class SchemaDocTest {

    private static final Path DOC = Path.of("docs", "schema.md");
    /** {@code    books {} or {@code    books["Books"] {}: an entity with attributes. */
    private static final Pattern ENTITY =
            Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s*(?:\\[[^\\]]*])?\\s*\\{\\s*");
    /** {@code    books ||--o{ chapters : "contains"}: a relationship between two entities. */
    private static final Pattern RELATIONSHIP = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_-]*)\\s+[|}o][|o][.-]-[|o][|{o]\\s+([A-Za-z_][A-Za-z0-9_-]*)\\s*:.*");

    private static final Pattern HEADING = Pattern.compile("###\\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\\s*");

    private static ScratchDatabase db;
    private static Set<String> tables;

    @BeforeAll
    static void migrateScratchDatabase() throws SQLException {
        db = ScratchDatabase.create("doc");
        db.migrate();
        tables = new TreeSet<>(db.publicTables());
    }

    @AfterAll
    static void dropScratchDatabase() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void diagramDeclaresEveryTableAndNothingElse() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : erDiagram()) {
            Matcher m = ENTITY.matcher(line);
            if (m.matches()) {
                documented.add(m.group(1));
            }
        }
        assertSameTables(documented, "entities of the erDiagram in " + DOC);
    }

    @Test
    void diagramRelationshipsJoinDeclaredEntities() throws IOException {
        Set<String> declared = new TreeSet<>();
        Set<String> relationships = new TreeSet<>();
        for (String line : erDiagram()) {
            Matcher entity = ENTITY.matcher(line);
            Matcher relationship = RELATIONSHIP.matcher(line);
            if (entity.matches()) {
                declared.add(entity.group(1));
            } else if (relationship.matches()) {
                relationships.add(relationship.group(1));
                relationships.add(relationship.group(2));
            }
        }
        assertThat(relationships)
                .as("relationships in the erDiagram of %s", DOC)
                .isNotEmpty();
        assertThat(declared)
                .as("entities declared in the erDiagram of %s (every relationship end must be one)", DOC)
                .containsAll(relationships);
    }

    @Test
    void tablesSectionHasOneHeadingPerTable() throws IOException {
        List<String> headings = new ArrayList<>();
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                headings.add(m.group(1));
            }
        }
        assertThat(headings).as("### headings in %s", DOC).doesNotHaveDuplicates();
        assertSameTables(new TreeSet<>(headings), "### table headings in " + DOC);
    }

    /** The lines inside the ```mermaid fence that holds the erDiagram. */
    private static List<String> erDiagram() throws IOException {
        assertThat(DOC)
                .as("schema documentation (relative to the project root)")
                .isRegularFile();
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```mermaid")) {
                continue;
            }
            List<String> block = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && !lines.get(j).strip().startsWith("```"); j++) {
                block.add(lines.get(j));
            }
            if (block.stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .findFirst()
                    .orElse("")
                    .equals("erDiagram")) {
                return block;
            }
        }
        return fail("%s has no ```mermaid block starting with erDiagram", DOC);
    }

    private static void assertSameTables(Set<String> documented, String what) {
        Set<String> missing = new TreeSet<>(tables);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(tables);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            fail(
                    "%s do not match the tables the migrations create.%n  missing (in the schema, not documented): %s"
                            + "%n  extra (documented, not in the schema): %s",
                    what, missing, extra);
        }
        assertThat(tables).as("tables in the migrated public schema").isNotEmpty();
    }
}
