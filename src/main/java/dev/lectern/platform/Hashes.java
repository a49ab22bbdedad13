package dev.lectern.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Content hashes, and the keyed hash (HMAC-SHA256) of cursor tags and erasure tokens. */
public final class Hashes {

    private Hashes() {}

    /** SHA-256 of the UTF-8 text, in lower-case hex: the content hash of chapters and index chunks, request fingerprints. */
    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key for {@link #hmacSha256}. */
    public static SecretKeySpec hmacKey(byte[] key) {
        return new SecretKeySpec(key, "HmacSHA256");
    }

    /** HMAC-SHA256 of {@code data[0..length)} under the key: all 32 bytes. */
    public static byte[] hmacSha256(SecretKeySpec key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
