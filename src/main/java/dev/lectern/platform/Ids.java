package dev.lectern.platform;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered UUIDv7 ids (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits.
 * Ordered ids keep B-tree inserts local, unlike random v4 ids.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static UUID newId() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
