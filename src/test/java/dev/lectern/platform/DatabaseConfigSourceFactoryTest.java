package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.lectern.support.ConfigSourceFactories;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseConfigSourceFactoryTest {

    private static final String USE_LAYER7 = "quarkus.datasource.reactive.postgresql.use-layer7-proxy";

    @Test
    void aPoolerUrlIsDetectedWithoutConfiguration() {
        Map<String, String> props =
                properties(Map.of("DATABASE_URL", "postgres://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/app"));

        assertThat(props).containsEntry(USE_LAYER7, "true");
    }

    @Test
    void lecternDatabasePgbouncerForcesThePoolerSettingsOnForASelfHostedPgBouncer() {
        Map<String, String> props = properties(Map.of(
                "DATABASE_URL", "postgres://u:p@pgbouncer.internal:6432/app", "lectern.database.pgbouncer", "true"));

        assertThat(props)
                .containsEntry(USE_LAYER7, "true")
                .containsEntry("quarkus.datasource.reactive.cache-prepared-statements", "false");
    }

    @Test
    void lecternDatabasePgbouncerFalseTurnsDetectionOff() {
        Map<String, String> props = properties(Map.of(
                "DATABASE_URL",
                "postgres://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/app",
                "lectern.database.pgbouncer",
                "false"));

        assertThat(props).doesNotContainKey(USE_LAYER7);
    }

    @Test
    void anUnknownPgbouncerModeIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties(
                        Map.of("DATABASE_URL", "postgres://u:p@h/app", "lectern.database.pgbouncer", "maybe")))
                .withMessageContaining("auto, true or false");
    }

    @Test
    void theDirectUrlFeedsJdbcAndItsOwnCredentialsGoToFlyway() {
        Map<String, String> props = properties(Map.of(
                "DATABASE_URL", "postgres://app:pooled@ep-x-pooler.eu-central-1.aws.neon.tech/app?sslmode=require",
                "DATABASE_DIRECT_URL",
                        "postgres://migrator:direct@ep-x.eu-central-1.aws.neon.tech/app?sslmode=require"));

        assertThat(props)
                .containsEntry(
                        "quarkus.datasource.jdbc.url",
                        "jdbc:postgresql://ep-x.eu-central-1.aws.neon.tech:5432/app?sslmode=require")
                .containsEntry("quarkus.datasource.username", "app")
                .containsEntry("quarkus.flyway.username", "migrator")
                .containsEntry("quarkus.flyway.password", "direct");
    }

    @Test
    void aDirectUrlWithoutAPasswordSharesThePooledCredentials() {
        Map<String, String> props = properties(Map.of(
                "DATABASE_URL",
                "postgres://app:pooled@pooler.example.com/app",
                "DATABASE_DIRECT_URL",
                "postgres://app@db.example.com/app"));

        assertThat(props).doesNotContainKey("quarkus.flyway.username").doesNotContainKey("quarkus.flyway.password");
    }

    private static Map<String, String> properties(Map<String, String> values) {
        return ConfigSourceFactories.properties(new DatabaseConfigSourceFactory(), values);
    }
}
