package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every Flyway migration {@code db/migration/V<n>__<what>.sql} has an inverse {@code db/undo/U<n>__<what>.sql},
 * and the inverses really invert: migrating up version by version, then undoing version by version, passes
 * through the same schemas in reverse and ends with an empty public schema; migrating up again rebuilds the
 * same schema. Also enforces "every foreign key has an index".
 *
 * <p>Plain JUnit on private scratch databases (see {@link ScratchDatabase}); it never touches {@code lectern_test}.
 * Migrations and undo scripts are discovered by listing the classpath directories, so a new {@code V<n>} is
 * covered (and must bring its {@code U<n>}) without editing this test.
 */
class MigrationUndoTest {

    private static final Pattern VERSIONED = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__(.+)\\.sql");

    private static ScratchDatabase db;

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = ScratchDatabase.create("undo");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyMigrationHasAnUndoScript() {
        List<Pair> pairs = pairs();
        assertThat(pairs)
                .as("versioned migrations in classpath:%s", ScratchDatabase.MIGRATIONS)
                .isNotEmpty();
    }

    @Test
    void undoScriptsInvertTheirMigrationsExactly() throws SQLException {
        List<Pair> pairs = pairs();

        // Up, one version at a time: schemas.get(i) is the schema after the first i migrations.
        List<List<String>> schemas = new ArrayList<>();
        schemas.add(snapshot());
        assertThat(schemas.get(0))
                .as("a fresh database has an empty public schema")
                .isEmpty();
        for (Pair pair : pairs) {
            MigrateResult result = flyway(pair.version()).migrate();
            assertThat(result.success).as("migrating to %s", pair.migration()).isTrue();
            assertThat(result.migrationsExecuted)
                    .as("migrations executed for %s", pair.migration())
                    .isEqualTo(1);
            schemas.add(snapshot());
        }
        List<String> migrated = schemas.get(pairs.size());

        // Down, one version at a time: each undo must restore exactly the schema before its migration.
        for (int i = pairs.size() - 1; i >= 0; i--) {
            Pair pair = pairs.get(i);
            undo(pair);
            assertSameSchema(
                    snapshot(),
                    schemas.get(i),
                    "after " + pair.undo() + " the schema must equal the one before " + pair.migration());
        }
        assertThat(db.strings("SELECT count(*) FROM flyway_schema_history"))
                .as("flyway_schema_history rows left after undoing everything")
                .containsExactly("0");
        assertThat(db.publicTables())
                .as("tables left in the public schema after undoing everything")
                .isEmpty();
        assertThat(snapshot())
                .as(
                        "objects (sequences, types, functions, views, ...) left in the public schema after undoing everything")
                .isEmpty();

        // Up again, all at once: the same schema as the first time.
        MigrateResult again = flyway(null).migrate();
        assertThat(again.success).as("migrating up again after the undo").isTrue();
        assertThat(again.migrationsExecuted)
                .as("migrations executed when migrating up again")
                .isEqualTo(pairs.size());
        assertSameSchema(
                snapshot(), migrated, "migrating up again after undoing everything must rebuild the same schema");
    }

    @Test
    void everyForeignKeyHasAnIndex() throws SQLException {
        try (ScratchDatabase fresh = ScratchDatabase.create("fkidx")) {
            fresh.migrate();
            // A foreign key is served by an index whose leading columns are exactly the key's columns (in any
            // order). Partial indexes do not count: ON DELETE / ON UPDATE checks must find every referencing
            // row, soft-deleted ones included, and a partial index cannot.
            List<String> unindexed = fresh.strings("""
                    SELECT format('%s.%s (%s) -> %s', c.conrelid::regclass, c.conname,
                                  (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                                     FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                                  c.confrelid::regclass)
                      FROM pg_constraint c
                     WHERE c.contype = 'f'
                       AND c.connamespace = 'public'::regnamespace
                       AND NOT EXISTS (
                           SELECT 1 FROM pg_index i
                            WHERE i.indrelid = c.conrelid
                              AND i.indpred IS NULL
                              AND i.indnkeyatts >= cardinality(c.conkey)
                              AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                              AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
                     ORDER BY 1""");
            assertThat(unindexed)
                    .as(
                            "foreign keys whose columns lead no (non-partial) index; add e.g. CREATE INDEX <table>_<column>_idx"
                                    + " ON <table> (<column>) in a new migration")
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A migration and its undo script, e.g. V3__progress.sql / U3__progress.sql. */
    record Pair(MigrationVersion version, String migration, String undo) {}

    /**
     * Pairs every V&lt;n&gt;__&lt;what&gt;.sql of db/migration with the U&lt;n&gt;__&lt;what&gt;.sql of db/undo,
     * ascending by Flyway version; fails naming every missing, misnamed, orphaned or unrecognised file.
     */
    static List<Pair> pairs() {
        List<String> problems = new ArrayList<>();
        Map<MigrationVersion, String> migrations = versioned(ScratchDatabase.MIGRATIONS, 'V', problems);
        Map<MigrationVersion, String> undos = versioned(ScratchDatabase.UNDO, 'U', problems);
        List<Pair> pairs = new ArrayList<>();
        migrations.forEach((version, migration) -> {
            String expected = "U" + migration.substring(1);
            String undo = undos.get(version);
            if (undo == null) {
                problems.add(migration + " has no undo script: add " + ScratchDatabase.UNDO + "/" + expected
                        + " that drops what it creates");
            } else if (!undo.equals(expected)) {
                problems.add(migration + " is undone by " + undo + ", but the undo script must be named " + expected
                        + " (same version and description)");
            } else {
                pairs.add(new Pair(version, migration, undo));
            }
        });
        undos.forEach((version, undo) -> {
            if (!migrations.containsKey(version)) {
                problems.add(
                        ScratchDatabase.UNDO + "/" + undo + " has no migration V" + undo.substring(1) + " to undo");
            }
        });
        if (!problems.isEmpty()) {
            fail("Migrations and undo scripts do not pair up:\n  - " + String.join("\n  - ", problems));
        }
        return pairs;
    }

    private static Map<MigrationVersion, String> versioned(String directory, char prefix, List<String> problems) {
        Map<MigrationVersion, String> byVersion = new TreeMap<>(Comparator.naturalOrder());
        for (String file : ScratchDatabase.classpathFiles(directory)) {
            if (!file.endsWith(".sql")) {
                continue; // Flyway ignores anything else too (READMEs, editor files)
            }
            Matcher m = VERSIONED.matcher(file);
            if (!m.matches() || m.group(1).charAt(0) != prefix) {
                problems.add(directory + "/" + file + " is not named " + prefix + "<n>__<what>.sql");
                continue;
            }
            String previous = byVersion.put(MigrationVersion.fromVersion(m.group(2)), file);
            if (previous != null) {
                problems.add(directory + "/" + file + " and " + previous + " have the same version");
            }
        }
        return byVersion;
    }

    private static Flyway flyway(MigrationVersion target) {
        var config = db.flywayConfig();
        if (target != null) {
            config.target(target);
        }
        return config.load();
    }

    /** Runs one undo script and forgets its migration in flyway_schema_history, in one transaction. */
    private static void undo(Pair pair) throws SQLException {
        String sql = ScratchDatabase.classpathText(ScratchDatabase.UNDO + "/" + pair.undo());
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new AssertionError(pair.undo() + " failed: " + e.getMessage(), e);
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM flyway_schema_history WHERE version = ?")) {
                del.setString(1, pair.version().getVersion());
                assertThat(del.executeUpdate())
                        .as("flyway_schema_history rows for version %s", pair.version())
                        .isEqualTo(1);
            }
            c.commit();
        }
    }

    private static void assertSameSchema(List<String> actual, List<String> expected, String what) {
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> unexpected = new ArrayList<>(actual);
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            fail(what + "\n missing:\n    " + String.join("\n    ", missing) + "\n unexpected:\n    "
                    + String.join("\n    ", unexpected));
        }
        assertThat(actual).as(what).isEqualTo(expected);
    }

    /**
     * The public schema as a sorted list of lines, from the catalogs: columns (type, nullability, default),
     * indexes, constraints, every relation (tables, views, sequences, ...) with view and sequence definitions,
     * user-defined types, functions, triggers and extensions. Flyway's own history table is left out.
     */
    static List<String> snapshot() throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String query : SNAPSHOT_QUERIES) {
            lines.addAll(db.strings(query));
        }
        lines.sort(Comparator.naturalOrder());
        return lines;
    }

    private static final List<String> SNAPSHOT_QUERIES = List.of("""
            SELECT format('column %s.%s #%s %s (%s%s) %s default %s', table_name, column_name, ordinal_position,
                          data_type, udt_name, coalesce('(' || character_maximum_length || ')', ''),
                          CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END, coalesce(column_default, '-'))
              FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'""", """
            SELECT format('index %s.%s: %s', tablename, indexname, indexdef)
              FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'""", """
            SELECT format('constraint %s.%s (%s): %s',
                          CASE WHEN c.conrelid <> 0 THEN c.conrelid::regclass::text ELSE c.contypid::regtype::text END, c.conname, c.contype,
                          pg_get_constraintdef(c.oid))
              FROM pg_constraint c
             WHERE c.connamespace = 'public'::regnamespace
               AND c.conrelid <> coalesce(to_regclass('flyway_schema_history'), 0)""", """
            SELECT format('relation %s (%s)%s', c.relname, c.relkind,
                          CASE WHEN c.relkind IN ('v', 'm') THEN ': ' || pg_get_viewdef(c.oid) ELSE '' END)
              FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace
               AND c.relname <> 'flyway_schema_history'
               AND NOT EXISTS (SELECT 1 FROM pg_index i
                                WHERE i.indexrelid = c.oid AND i.indrelid::regclass::text = 'flyway_schema_history')""", """
            SELECT format('sequence %s: %s start %s increment %s min %s max %s cache %s cycle %s',
                          s.seqrelid::regclass, s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
                          s.seqcache, s.seqcycle)
              FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
             WHERE c.relnamespace = 'public'::regnamespace""", """
            SELECT format('type %s (%s)%s', t.typname, t.typtype,
                          CASE WHEN t.typtype = 'e' THEN ': ' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
                                                                  FROM pg_enum e WHERE e.enumtypid = t.oid)
                               WHEN t.typtype = 'd' THEN ': ' || format_type(t.typbasetype, t.typtypmod)
                               ELSE '' END)
              FROM pg_type t
             WHERE t.typnamespace = 'public'::regnamespace
               AND t.typcategory <> 'A'
               AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')""", """
            SELECT format('function %s (%s): %s', p.oid::regprocedure, p.prokind,
                          CASE WHEN p.prokind IN ('f', 'p') THEN md5(pg_get_functiondef(p.oid)) ELSE '' END)
              FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace""", """
            SELECT format('trigger %s.%s: %s', t.tgrelid::regclass, t.tgname, pg_get_triggerdef(t.oid))
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace""", """
            SELECT format('extension %s %s in %s', e.extname, e.extversion, e.extnamespace::regnamespace)
              FROM pg_extension e WHERE e.extname <> 'plpgsql'""");
}
