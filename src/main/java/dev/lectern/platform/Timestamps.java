package dev.lectern.platform;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Current time at PostgreSQL's timestamptz precision (microseconds), so what we return equals what we read back. */
public final class Timestamps {

    private Timestamps() {}

    /** A database timestamptz as an Instant, null-safe. */
    public static Instant instant(java.time.OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
