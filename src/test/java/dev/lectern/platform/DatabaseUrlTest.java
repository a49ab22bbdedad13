package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    private static final String NEON =
            "postgres://alex:AbC123dEf@ep-cool-darkness-123456.us-east-2.aws.neon.tech/dbname"
                    + "?sslmode=require&options=endpoint%3Dep-cool-darkness-123456";
    private static final String NEON_HOST = "ep-cool-darkness-123456.us-east-2.aws.neon.tech";

    // --- Neon-style URL ---------------------------------------------------------------------------------

    @Test
    void neonUrlIsSplitIntoItsParts() {
        DatabaseUrl url = DatabaseUrl.parse(NEON);

        assertThat(url.host()).isEqualTo(NEON_HOST);
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.database()).isEqualTo("dbname");
        assertThat(url.user()).isEqualTo("alex");
        assertThat(url.password()).isEqualTo("AbC123dEf");
        assertThat(url.sslMode()).contains("require");
        assertThat(url.parameters()).containsExactly(Map.entry("options", "endpoint=ep-cool-darkness-123456"));
    }

    @Test
    void neonReactiveUrlHasHostPortAndDatabaseButNoCredentialsOrQuery() {
        DatabaseUrl url = DatabaseUrl.parse(NEON);

        assertThat(url.reactiveUrl()).isEqualTo("postgresql://" + NEON_HOST + ":5432/dbname");
    }

    @Test
    void neonJdbcUrlKeepsSslModeAndReEncodedOptions() {
        DatabaseUrl url = DatabaseUrl.parse(NEON);

        assertThat(url.jdbcUrl())
                .isEqualTo("jdbc:postgresql://" + NEON_HOST
                        + ":5432/dbname?sslmode=require&options=endpoint%3Dep-cool-darkness-123456");
        assertThat(url.jdbcUrl()).doesNotContain("AbC123dEf").doesNotContain("alex");
    }

    @Test
    void neonQuarkusPropertiesRequireSslTrustAllAndPassTheEndpointOption() {
        Map<String, String> props = DatabaseUrl.parse(NEON).quarkusProperties();

        assertThat(props)
                .containsEntry("quarkus.datasource.reactive.url", "postgresql://" + NEON_HOST + ":5432/dbname")
                .containsEntry(
                        "quarkus.datasource.jdbc.url",
                        "jdbc:postgresql://" + NEON_HOST
                                + ":5432/dbname?sslmode=require&options=endpoint%3Dep-cool-darkness-123456")
                .containsEntry("quarkus.datasource.username", "alex")
                .containsEntry("quarkus.datasource.password", "AbC123dEf")
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "require")
                .containsEntry("quarkus.datasource.reactive.trust-all", "true")
                .containsEntry(
                        "quarkus.datasource.reactive.additional-properties.options", "endpoint=ep-cool-darkness-123456")
                .doesNotContainKey("quarkus.datasource.reactive.hostname-verification-algorithm");
    }

    // --- scheme, host and port ---------------------------------------------------------------------------

    @Test
    void postgresqlSchemeIsAcceptedLikePostgres() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://bob:secret@db.example.com:5433/app");

        assertThat(url.host()).isEqualTo("db.example.com");
        assertThat(url.port()).isEqualTo(5433);
        assertThat(url.database()).isEqualTo("app");
        assertThat(url.reactiveUrl()).isEqualTo("postgresql://db.example.com:5433/app");
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertThat(DatabaseUrl.parse("POSTGRES://u:p@h/db").host()).isEqualTo("h");
    }

    @Test
    void portDefaultsTo5432WhenAbsent() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@db.internal/app");

        assertThat(url.port()).isEqualTo(DatabaseUrl.DEFAULT_PORT).isEqualTo(5432);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/app");
    }

    @Test
    void explicitPortIsUsedInBothUrls() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@containers-us-west-1.railway.app:7421/railway");

        assertThat(url.port()).isEqualTo(7421);
        assertThat(url.reactiveUrl()).isEqualTo("postgresql://containers-us-west-1.railway.app:7421/railway");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://containers-us-west-1.railway.app:7421/railway");
    }

    @Test
    void ipv6HostIsUnbracketedInTheRecordAndBracketedInUrls() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@[::1]:6543/db");

        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.port()).isEqualTo(6543);
        assertThat(url.reactiveUrl()).isEqualTo("postgresql://[::1]:6543/db");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6543/db");
    }

    @Test
    void ipv6HostWithoutPortUsesDefaultPort() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@[::1]/db");

        assertThat(url.host()).isEqualTo("::1");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.reactiveUrl()).isEqualTo("postgresql://[::1]:5432/db");
    }

    // --- credentials -------------------------------------------------------------------------------------

    @Test
    void passwordWithReservedCharactersIsPercentDecoded() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alex:p%40ss%3Aw%2Frd%25%2B@db.example.com/app");

        assertThat(url.password()).isEqualTo("p@ss:w/rd%+");
        assertThat(url.host()).isEqualTo("db.example.com");
        assertThat(url.quarkusProperties()).containsEntry("quarkus.datasource.password", "p@ss:w/rd%+");
    }

    @Test
    void literalPlusInPasswordStaysAPlusNotASpace() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alex:a+b+c@db.example.com/app");

        assertThat(url.password()).isEqualTo("a+b+c");
    }

    @Test
    void unencodedAtSignInPasswordIsKeptBecauseTheLastAtSeparatesTheHost() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alex:p@ss@w0rd@db.example.com:5433/app");

        assertThat(url.user()).isEqualTo("alex");
        assertThat(url.password()).isEqualTo("p@ss@w0rd");
        assertThat(url.host()).isEqualTo("db.example.com");
        assertThat(url.port()).isEqualTo(5433);
    }

    @Test
    void unencodedColonInPasswordBelongsToThePassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alex:a:b:c@h/db");

        assertThat(url.user()).isEqualTo("alex");
        assertThat(url.password()).isEqualTo("a:b:c");
    }

    @Test
    void percentEncodedUserAndUtf8PasswordAreDecoded() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alex%40corp:p%C3%A4ss@h/db");

        assertThat(url.user()).isEqualTo("alex@corp");
        assertThat(url.password()).isEqualTo("päss");
    }

    @Test
    void urlWithoutCredentialsHasNoUsernameOrPasswordProperties() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://localhost/lectern");

        assertThat(url.user()).isEmpty();
        assertThat(url.password()).isEmpty();
        assertThat(url.quarkusProperties())
                .doesNotContainKey("quarkus.datasource.username")
                .doesNotContainKey("quarkus.datasource.password");
    }

    @Test
    void userWithoutPasswordSetsOnlyTheUsername() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://postgres@localhost:5432/lectern");

        assertThat(url.user()).isEqualTo("postgres");
        assertThat(url.password()).isEmpty();
        assertThat(url.quarkusProperties())
                .containsEntry("quarkus.datasource.username", "postgres")
                .doesNotContainKey("quarkus.datasource.password");
    }

    @Test
    void percentEncodedDatabaseNameIsDecodedAndReEncodedInUrls() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h/my%20db");

        assertThat(url.database()).isEqualTo("my db");
        assertThat(url.reactiveUrl()).isEqualTo("postgresql://h:5432/my%20db");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my%20db");
    }

    // --- sslmode and query parameters --------------------------------------------------------------------

    @Test
    void verifyFullChecksTheHostNameWithoutTrustingAll() {
        Map<String, String> props =
                DatabaseUrl.parse("postgres://u:p@h/db?sslmode=verify-full").quarkusProperties();

        assertThat(props)
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full")
                .containsEntry("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS")
                .doesNotContainKey("quarkus.datasource.reactive.trust-all");
    }

    @Test
    void verifyCaVerifiesTheCertificateWithoutTrustingAll() {
        Map<String, String> props =
                DatabaseUrl.parse("postgres://u:p@h/db?sslmode=verify-ca").quarkusProperties();

        assertThat(props)
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-ca")
                .doesNotContainKey("quarkus.datasource.reactive.trust-all")
                .doesNotContainKey("quarkus.datasource.reactive.hostname-verification-algorithm");
    }

    @Test
    void disableTurnsSslOffInTheReactiveClientAndKeepsItInJdbc() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h/db?sslmode=disable");

        assertThat(url.sslMode()).contains("disable");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?sslmode=disable");
        assertThat(url.quarkusProperties())
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "disable")
                .doesNotContainKey("quarkus.datasource.reactive.trust-all")
                .doesNotContainKey("quarkus.datasource.reactive.hostname-verification-algorithm");
    }

    @Test
    void sslModeIsCaseInsensitiveAndNormalisedToLowerCase() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h/db?sslmode=REQUIRE");

        assertThat(url.sslMode()).contains("require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?sslmode=require");
        assertThat(url.quarkusProperties()).containsEntry("quarkus.datasource.reactive.trust-all", "true");
    }

    @Test
    void withoutSslModeNoSslPropertiesAreSet() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h/db");

        assertThat(url.sslMode()).isEqualTo(Optional.empty());
        assertThat(url.quarkusProperties().keySet()).noneMatch(k -> k.contains("ssl") || k.contains("trust"));
    }

    @Test
    void applicationNameIsPassedToBothDrivers() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h/db?application_name=lectern%20app");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?application_name=lectern%20app");
        assertThat(url.quarkusProperties())
                .containsEntry("quarkus.datasource.reactive.additional-properties.application_name", "lectern app");
    }

    @Test
    void unsupportedSslModeIsRejectedWithTheAllowedValuesListed() {
        // Checked in parse(), so a bad DATABASE_DIRECT_URL (used only for its JDBC URL) fails as early.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgres://u:p@h/db?sslmode=sometimes"))
                .withMessageContaining("sometimes")
                .withMessageContaining("verify-full");
    }

    @Test
    void requireWithARootCertificateVerifiesTheChainAgainstItAsLibpqDoes() {
        Map<String, String> props = DatabaseUrl.parse(
                        "postgres://u:p@h/db?sslmode=require&sslrootcert=/etc/ssl/neon-ca.pem")
                .quarkusProperties();

        assertThat(props)
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-ca")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/ssl/neon-ca.pem")
                .doesNotContainKey("quarkus.datasource.reactive.trust-all");
        assertThat(DatabaseUrl.parse("postgres://u:p@h/db?sslmode=require&sslrootcert=/etc/ssl/neon-ca.pem")
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://h:5432/db?sslmode=require&sslrootcert=%2Fetc%2Fssl%2Fneon-ca.pem");
    }

    @Test
    void verifyFullWithARootCertificateTrustsItAndChecksTheHost() {
        Map<String, String> props = DatabaseUrl.parse("postgres://u:p@h/db?sslmode=verify-full&sslrootcert=ca.pem")
                .quarkusProperties();

        assertThat(props)
                .containsEntry("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full")
                .containsEntry("quarkus.datasource.reactive.trust-certificate-pem.certs", "ca.pem")
                .containsEntry("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS")
                .doesNotContainKey("quarkus.datasource.reactive.trust-certificate-jks.path");
    }

    @Test
    void verifyModesWithoutARootCertificateNameTheJvmTrustStoreBecauseVertxRequiresTrustOptions() {
        Map<String, String> props =
                DatabaseUrl.parse("postgres://u:p@h/db?sslmode=verify-full").quarkusProperties();

        assertThat(props.get("quarkus.datasource.reactive.trust-certificate-jks.path"))
                .isEqualTo(DatabaseUrl.defaultTrustStore());
        assertThat(java.nio.file.Path.of(DatabaseUrl.defaultTrustStore())).exists();
        assertThat(props).containsKey("quarkus.datasource.reactive.trust-certificate-jks.password");
    }

    // --- transaction-mode poolers --------------------------------------------------------------------------

    private static final String POOLER_KEYS = "quarkus.datasource.reactive.postgresql.use-layer7-proxy";

    @Test
    void neonPooledEndpointGetsTheSettingsATransactionPoolerNeeds() {
        DatabaseUrl url = DatabaseUrl.parse(
                "postgres://alex:pw@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/dbname?sslmode=require");

        assertThat(url.behindTransactionPooler()).isTrue();
        assertThat(url.quarkusProperties())
                .containsEntry("quarkus.datasource.reactive.cache-prepared-statements", "false")
                .containsEntry("quarkus.datasource.reactive.postgresql.use-layer7-proxy", "true")
                .containsEntry("quarkus.datasource.reactive.postgresql.pipelining-limit", "1");
    }

    @Test
    void supabasePoolerHostIsRecognised() {
        assertThat(DatabaseUrl.parse(
                                "postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres")
                        .behindTransactionPooler())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ep-cool-darkness-123456.us-east-2.aws.neon.tech",
                "carpooler.example.com",
                "pooler-db.example.com",
                "localhost"
            })
    void directEndpointsKeepCachedPreparedStatementsAndPipelining(String host) {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@" + host + "/db");

        assertThat(url.behindTransactionPooler()).isFalse();
        assertThat(url.quarkusProperties())
                .doesNotContainKey(POOLER_KEYS)
                .doesNotContainKey("quarkus.datasource.reactive.cache-prepared-statements");
    }

    @Test
    void pgbouncerParameterSwitchesThePoolerSettingsOnAndStaysOutOfTheJdbcUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@10.0.0.7:6432/db?pgbouncer=true&sslmode=require");

        assertThat(url.behindTransactionPooler()).isTrue();
        assertThat(url.quarkusProperties()).containsEntry(POOLER_KEYS, "true");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.7:6432/db?sslmode=require");
    }

    @Test
    void pgbouncerFalseOverridesAPoolerLookingHost() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/db?pgbouncer=false");

        assertThat(url.behindTransactionPooler()).isFalse();
        assertThat(url.quarkusProperties()).doesNotContainKey(POOLER_KEYS);
    }

    @Test
    void callerCanForceThePoolerSettingsEitherWay() {
        DatabaseUrl direct = DatabaseUrl.parse("postgres://u:p@db.internal/app");
        DatabaseUrl pooled = DatabaseUrl.parse("postgres://u:p@ep-x-pooler.eu-central-1.aws.neon.tech/app");

        assertThat(direct.quarkusProperties(true)).containsEntry(POOLER_KEYS, "true");
        assertThat(pooled.quarkusProperties(false)).doesNotContainKey(POOLER_KEYS);
    }

    // --- malformed URLs ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u:p@h/db", "jdbc:postgresql://h:5432/db", "http://h/db"})
    void otherSchemesAreRejectedNamingTheScheme(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse(text))
                .withMessageContaining("postgres://")
                .withMessageContaining(text.substring(0, text.indexOf("://") + 3));
    }

    @Test
    void urlWithoutSchemeIsRejectedWithAnExampleOfTheExpectedForm() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("db.example.com:5432/app"))
                .withMessageContaining("postgres://user:password@host:port/database");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyUrlIsRejected(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse(text))
                .withMessageContaining("empty");
    }

    @Test
    void nullUrlIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse(null))
                .withMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://u:p@/db", "postgres:///db", "postgres://u:p@:5432/db"})
    void missingHostIsRejected(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse(text))
                .withMessageContaining("no host");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "postgres://u:p@h",
                "postgres://u:p@h:5432",
                "postgres://u:p@h/",
                "postgres://u:p@h/?sslmode=require"
            })
    void missingDatabaseIsRejected(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse(text))
                .withMessageContaining("no database name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "65536", "70000", "-1", ""})
    void badPortIsRejectedQuotingThePort(String port) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgres://u:p@h:" + port + "/db"))
                .withMessageContaining("invalid port '" + port + "'");
    }

    @Test
    void unterminatedIpv6HostIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgres://u:p@[::1/db"))
                .withMessageContaining("IPv6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://u:p%zz@h/db", "postgres://u:p%4@h/db", "postgres://u:pass%@h/db"})
    void malformedPercentEscapeIsRejected(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse(text))
                .withMessageContaining("malformed percent-escape");
    }

    // --- secrecy -----------------------------------------------------------------------------------------

    @Test
    void toStringShowsUserHostAndDatabaseButNeverThePassword() {
        DatabaseUrl url = DatabaseUrl.parse(NEON);

        assertThat(url.toString())
                .isEqualTo("DatabaseUrl[alex@" + NEON_HOST + ":5432/dbname]")
                .doesNotContain("AbC123dEf");
    }

    @Test
    void toStringHidesADecodedPasswordWithSpecialCharacters() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://alex:s3cr%40t%2Bpw@[::1]:6543/db?sslmode=verify-full");

        assertThat(url.toString())
                .doesNotContain("s3cr@t+pw")
                .doesNotContain("s3cr%40t%2Bpw")
                .doesNotContain("s3cr")
                .contains("[::1]:6543");
    }

    @Test
    void aMalformedEscapeInThePasswordIsNotEchoedInTheError() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DatabaseUrl.parse("postgres://u:sec%zzret@h/db"))
                .withMessageNotContaining("zz");
    }

    @Test
    void queryParametersKeepTheirOrderInTheJdbcUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:p@h/db?b=2&a=1&c=3&sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/db?sslmode=require&b=2&a=1&c=3");
    }
}
