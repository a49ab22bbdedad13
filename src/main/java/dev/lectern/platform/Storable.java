package dev.lectern.platform;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What PostgreSQL can store, checked where values enter the service ({@link StrictJson} for JSON bodies,
 * {@link RequestText} for query and path parameters, {@link StrictParameters} for typed parameters, the
 * chapter parser for Markdown), so a bad value is a 400 naming its field instead of an error from the database.
 *
 * <ul>
 *   <li>Text: PostgreSQL's {@code text} and {@code jsonb} refuse NUL (U+0000, SQLSTATE 22021 / 22P05), and a UTF-16
 *       surrogate without its other half is no Unicode character at all (it cannot be encoded as UTF-8).
 *   <li>Instants and dates: years 1 to 9999. {@code timestamptz} reaches 4713 BC to 294276 AD and {@code date} further,
 *       but the driver mangles years beyond five digits and cannot read years BC back; four-digit years are what
 *       ISO 8601 and every client handle without extension. Features add their own domain ranges (a review's
 *       {@code reviewedAt}, see the README).
 * </ul>
 */
public final class Storable {

    public static final Instant EARLIEST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1, 1, 1);
    public static final LocalDate LATEST_DATE = LocalDate.of(9999, 12, 31);

    private Storable() {}

    /** Why PostgreSQL cannot store this text, or null when it can. One pass over the characters. */
    public static String textDefect(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL (U+0000)";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return "must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF)";
                }
            }
        }
        return null;
    }

    /** Why this instant is out of range, or null when it is within years 1 to 9999. */
    public static String instantDefect(Instant instant) {
        return instant.isBefore(EARLIEST_INSTANT) || instant.isAfter(LATEST_INSTANT)
                ? "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"
                : null;
    }

    /** Why this date is out of range, or null when it is within years 1 to 9999. */
    public static String dateDefect(LocalDate date) {
        return date.isBefore(EARLIEST_DATE) || date.isAfter(LATEST_DATE)
                ? "must be between 0001-01-01 and 9999-12-31"
                : null;
    }
}
