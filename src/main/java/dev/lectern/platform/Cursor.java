package dev.lectern.platform;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Opaque keyset-pagination cursor: the sort key of the last item of a page, as a versioned list of strings followed by
 * an HMAC-SHA256 tag (128 bits) over them, base64url-encoded. Clients must not parse it; a cursor this service did not
 * issue (tampered, truncated, forged, of another list or an older format) is a 400 before any key is looked at.
 *
 * <p>The key comes from {@code lectern.cursor.secret} ({@code LECTERN_CURSOR_SECRET}, at least 32 characters) and must
 * be the same on every replica, or a page served by one is refused by the next. Unset, it is derived from the database
 * password, which every replica of a deployment shares and clients never see (so rotating that password invalidates
 * open cursors: clients start their listing again). With neither, a built-in key signs: cursors can then be forged,
 * which is logged; keys are still checked (no control characters, and each list reads its keys through the typed
 * readers here, which refuse what the columns cannot hold).
 */
public final class Cursor {

    private static final Logger LOG = Logger.getLogger(Cursor.class);
    private static final String VERSION = "c2";
    private static final char SEPARATOR = '\u001f';
    private static final int TAG_BYTES = 16;
    /** No list's key comes near this; anything longer is not a cursor and is refused before decoding. */
    private static final int MAX_LENGTH = 2048;

    private static final String BUILT_IN_SECRET = "lectern-built-in-cursor-secret (set LECTERN_CURSOR_SECRET)";
    private static volatile SecretKeySpec key;

    private Cursor() {}

    public static String encode(String kind, Object... keys) {
        return encode(key(), kind, keys);
    }

    /** Decodes a cursor of the given kind with exactly {@code arity} keys, or fails with a 400 problem. */
    public static List<String> decode(String cursor, String kind, int arity) {
        return decode(key(), cursor, kind, arity);
    }

    static String encode(SecretKeySpec key, String kind, Object... keys) {
        StringBuilder sb = new StringBuilder(VERSION).append(SEPARATOR).append(kind);
        for (Object k : keys) {
            sb.append(SEPARATOR).append(k);
        }
        byte[] payload = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] signed = Arrays.copyOf(payload, payload.length + TAG_BYTES);
        System.arraycopy(tag(key, payload, payload.length), 0, signed, payload.length, TAG_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
    }

    static List<String> decode(SecretKeySpec key, String cursor, String kind, int arity) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        byte[] signed;
        try {
            signed = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        // The decoder ignores the unused low bits of the last character, so several spellings decode to the same bytes:
        // only the one the service issued is accepted.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(signed).equals(cursor)) {
            throw invalid();
        }
        int length = signed.length - TAG_BYTES;
        if (length <= 0
                || !MessageDigest.isEqual(
                        tag(key, signed, length), Arrays.copyOfRange(signed, length, signed.length))) {
            throw invalid();
        }
        List<String> parts = split(utf8(signed, length));
        if (parts.size() != arity + 2 || !VERSION.equals(parts.get(0)) || !kind.equals(parts.get(1))) {
            throw invalid();
        }
        List<String> keys = parts.subList(2, parts.size());
        for (String k : keys) {
            if (k.chars().anyMatch(Character::isISOControl)) {
                throw invalid();
            }
        }
        return keys;
    }

    /** The HMAC key for {@code secret}: derived, so the same secret used elsewhere gives an unrelated key here. */
    static SecretKeySpec keyFor(String secret) {
        byte[] label = "lectern pagination cursor".getBytes(StandardCharsets.UTF_8);
        return Hashes.hmacKey(
                Hashes.hmacSha256(Hashes.hmacKey(secret.getBytes(StandardCharsets.UTF_8)), label, label.length));
    }

    private static SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            k = keyFor(secret(ConfigProvider.getConfig()));
            key = k;
        }
        return k;
    }

    private static String secret(Config config) {
        String configured =
                config.getOptionalValue("lectern.cursor.secret", String.class).orElse("");
        if (!configured.isBlank()) {
            if (configured.length() < 32) {
                throw new IllegalStateException("lectern.cursor.secret must be at least 32 characters long");
            }
            return configured;
        }
        String password = config.getOptionalValue("quarkus.datasource.password", String.class)
                .orElse("");
        if (!password.isEmpty()) {
            return "database password:" + password;
        }
        LOG.warn("pagination cursors are signed with a built-in key and can be forged: set LECTERN_CURSOR_SECRET "
                + "(the same on every replica)");
        return BUILT_IN_SECRET;
    }

    /** The first {@code TAG_BYTES} of HMAC-SHA256 over {@code data[0..length)}. */
    private static byte[] tag(SecretKeySpec key, byte[] data, int length) {
        return Arrays.copyOf(Hashes.hmacSha256(key, data, length), TAG_BYTES);
    }

    private static String utf8(byte[] bytes, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid();
        }
    }

    public static int intKey(String value) {
        long key = longKey(value);
        if (key < Integer.MIN_VALUE || key > Integer.MAX_VALUE) {
            throw invalid();
        }
        return (int) key;
    }

    public static long longKey(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /**
     * A timestamp key as lists write them (ISO 8601 with an offset or Z), within the years the columns hold: a cursor
     * signed with a known key (the built-in one) must not carry an instant PostgreSQL refuses (SQLSTATE 22008).
     */
    public static OffsetDateTime timestampKey(String value) {
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(value);
            if (Storable.instantDefect(parsed.toInstant()) != null) {
                throw invalid();
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw invalid();
        }
    }

    /** A date key (ISO 8601), within the years the columns hold. */
    public static LocalDate dateKey(String value) {
        try {
            LocalDate parsed = LocalDate.parse(value);
            if (Storable.dateDefect(parsed) != null) {
                throw invalid();
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw invalid();
        }
    }

    public static java.util.UUID uuidKey(String value) {
        try {
            return java.util.UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == SEPARATOR) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    private static ProblemException invalid() {
        return ProblemException.invalid("cursor", "is not a cursor this list produced");
    }
}
