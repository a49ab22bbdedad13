package dev.lectern.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset-pagination cursor: the sort key of the last item of a page, as a versioned,
 * base64url-encoded list of strings. Clients must not parse it; a tampered or foreign cursor is a 400.
 */
public final class Cursor {

    private static final String VERSION = "c1";
    private static final char SEPARATOR = '\u001f';

    private Cursor() {}

    public static String encode(String kind, Object... keys) {
        StringBuilder sb = new StringBuilder(VERSION).append(SEPARATOR).append(kind);
        for (Object key : keys) {
            sb.append(SEPARATOR).append(key);
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor of the given kind with exactly {@code arity} keys, or fails with a 400 problem. */
    public static List<String> decode(String cursor, String kind, int arity) {
        if (cursor == null) {
            throw invalid();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        List<String> parts = split(text);
        if (parts.size() != arity + 2 || !VERSION.equals(parts.get(0)) || !kind.equals(parts.get(1))) {
            throw invalid();
        }
        return parts.subList(2, parts.size());
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
