package dev.lectern.platform;

/** Word counts and reading time, shared by chapters and generated material. */
public final class Words {

    /** Average adult silent-reading rate for instructional prose (words per minute). */
    public static final int PER_MINUTE = 200;

    private Words() {}

    /** Whitespace-separated words. */
    public static int count(CharSequence text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = !Character.isWhitespace(text.charAt(i));
            if (letter && !inWord) {
                words++;
            }
            inWord = letter;
        }
        return words;
    }

    /** Whole minutes to read this many words, rounded up; at least one for any text. */
    public static int readingMinutes(int words) {
        return words == 0 ? 0 : Math.max(1, (words + PER_MINUTE - 1) / PER_MINUTE);
    }
}
