package dev.lectern.platform;

import io.quarkus.runtime.annotations.StaticInitSafe;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Whether a request target is a URI: the check Quarkus makes itself, moved to {@link HttpLayerProblems} so that a
 * refusal is a problem+json 400 like every other error.
 *
 * <p>Quarkus' root handler parses every request target with {@link URI} and answers an empty 400, before any route or
 * filter runs, to one that does not parse ({@code ?q=50%}, {@code /books/%zz}, a raw {@code |}). Its only switch is the
 * system property {@code vertx.disableURIValidation}, read once, when Quarkus' HTTP recorder class is initialised
 * during static init. Static init builds its configuration before any recorder runs, and creates the config sources
 * marked {@link StaticInitSafe} then, in every launch mode (the jar, dev mode, tests). So this class is registered as
 * a config source (it holds no properties) and sets the switch when it is loaded; {@link HttpLayerProblems} then makes
 * the same check first among the filters. Without it a malformed escape reached the router's path matching or the
 * query decoder (an IllegalArgumentException, a 500).
 */
@StaticInitSafe
public class RequestTargets implements ConfigSource {

    /** Read by io.quarkus.vertx.http.runtime.VertxHttpRecorder when that class is initialised. */
    static final String QUARKUS_SWITCH = "vertx.disableURIValidation";

    static {
        System.setProperty(QUARKUS_SWITCH, "true");
    }

    /** As Quarkus checks: {@link URI} parses it (RFC 2396 with the usual leniency). */
    static boolean isUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public String getValue(String propertyName) {
        return null;
    }

    @Override
    public String getName() {
        return "lectern-request-targets";
    }
}
