package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.lectern.support.ConfigSourceFactories;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CorsConfigSourceFactoryTest {

    @Test
    void unsetLeavesTheFilterAsApplicationPropertiesHaveIt() {
        assertThat(properties(Map.of())).isEmpty();
        assertThat(properties(Map.of("lectern.cors.origins", "  "))).isEmpty();
    }

    @Test
    void originsEnableTheFilterForExactlyThem() {
        Map<String, String> props = properties(Map.of(
                "lectern.cors.origins",
                " https://App.Example.org ,http://localhost:5173,, /https://[a-z]+[.]example[.]org/ "));

        assertThat(props)
                .containsEntry("quarkus.http.cors.enabled", "true")
                .containsEntry(
                        "quarkus.http.cors.origins",
                        "https://app.example.org,http://localhost:5173,/https://[a-z]+[.]example[.]org/");
    }

    @Test
    void anyOriginSchemeAMobileShellUsesIsAnOrigin() {
        assertThat(CorsConfigSourceFactory.origins("capacitor://localhost,tauri://localhost"))
                .containsExactly("capacitor://localhost", "tauri://localhost");
    }

    @Test
    void aStarAloneAllowsEveryOrigin() {
        assertThat(CorsConfigSourceFactory.origins("*")).containsExactly("*");
    }

    @Test
    void mistakesFailStartUpNamingTheEntry() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CorsConfigSourceFactory.origins("https://app.example.org/"))
                .withMessageContaining("LECTERN_CORS_ORIGINS")
                .withMessageContaining("'https://app.example.org/'")
                .withMessageContaining("no trailing slash");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CorsConfigSourceFactory.origins("app.example.org"))
                .withMessageContaining("'app.example.org' is not an origin");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CorsConfigSourceFactory.origins("https://app.example.org,*"))
                .withMessageContaining("stands alone");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CorsConfigSourceFactory.origins("/https://[a-z/"))
                .withMessageContaining("not a regular expression");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CorsConfigSourceFactory.origins("null"))
                .withMessageContaining("'null' is not an origin");
    }

    /** Dev mode's default, as Quarkus' filter reads it: a pattern matched against the whole Origin. */
    @Test
    void devModeAllowsEveryLocalhostPortAndNothingElse() throws IOException {
        Properties application = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            application.load(reader);
        }
        String dev = application.getProperty("%dev.quarkus.http.cors.origins");
        assertThat(application.getProperty("%dev.quarkus.http.cors.enabled")).isEqualTo("true");
        assertThat(application.getProperty("quarkus.http.cors.enabled")).isEqualTo("false");
        assertThat(CorsConfigSourceFactory.origins(dev)).containsExactly(dev);
        Pattern localhost = Pattern.compile(dev.substring(1, dev.length() - 1));

        assertThat(List.of("http://localhost:5173", "http://localhost:3000"))
                .allMatch(origin -> localhost.matcher(origin).matches());
        assertThat(List.of(
                        "http://localhost.evil.example:80",
                        "https://evil.example/http://localhost:1",
                        "http://localhost"))
                .noneMatch(origin -> localhost.matcher(origin).matches());
    }

    private static Map<String, String> properties(Map<String, String> values) {
        return ConfigSourceFactories.properties(new CorsConfigSourceFactory(), values);
    }
}
