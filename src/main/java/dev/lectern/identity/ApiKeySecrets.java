package dev.lectern.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key format {@code lk_<prefix>_<secret>}: a 12-character lookup prefix and a 32-byte random secret
 * (base64url, 43 characters). Only the SHA-256 of the secret is stored. Parsing is strict, so garbage is
 * rejected before any database lookup.
 */
public final class ApiKeySecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Pattern FORMAT = Pattern.compile("^lk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$");

    public record Parsed(String prefix, String secret) {}

    public record Generated(String prefix, String plaintext, byte[] secretHash) {}

    private ApiKeySecrets() {}

    public static Generated generate() {
        StringBuilder prefix = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            prefix.append(PREFIX_ALPHABET[RANDOM.nextInt(PREFIX_ALPHABET.length)]);
        }
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        return new Generated(prefix.toString(), "lk_" + prefix + "_" + secret, hash(secret));
    }

    public static Optional<Parsed> parse(String presented) {
        if (presented == null || presented.length() != 3 + 12 + 1 + 43) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(presented);
        return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2))) : Optional.empty();
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the presented secret's hash with the stored one. */
    public static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }
}
