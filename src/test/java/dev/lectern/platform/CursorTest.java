package dev.lectern.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    // --- round trips -------------------------------------------------------------------------------------

    @Test
    void singleKeyRoundTrips() {
        String cursor = Cursor.encode("books", "intro-to-algebra");

        assertThat(Cursor.decode(cursor, "books", 1)).containsExactly("intro-to-algebra");
    }

    @Test
    void numberAndUuidKeysRoundTripAsStringsAndParseBack() {
        String cursor = Cursor.encode("chapters", 42, ID);

        List<String> keys = Cursor.decode(cursor, "chapters", 2);

        assertThat(keys).containsExactly("42", ID.toString());
        assertThat(Cursor.longKey(keys.get(0))).isEqualTo(42L);
        assertThat(Cursor.uuidKey(keys.get(1))).isEqualTo(ID);
    }

    @Test
    void keysWithUnicodeRoundTrip() {
        String key = "Ünïcödé — 日本語 اردو 📚";

        String cursor = Cursor.encode("books", key, "plain");

        assertThat(Cursor.decode(cursor, "books", 2)).containsExactly(key, "plain");
    }

    @Test
    void emptyAndReservedLookingKeysRoundTrip() {
        String cursor = Cursor.encode("books", "", "a/b+c=d?&", "c1");

        assertThat(Cursor.decode(cursor, "books", 3)).containsExactly("", "a/b+c=d?&", "c1");
    }

    @Test
    void cursorWithNoKeysRoundTrips() {
        assertThat(Cursor.decode(Cursor.encode("books"), "books", 0)).isEmpty();
    }

    @Test
    void encodedCursorIsUrlSafeWithoutPadding() {
        String cursor = Cursor.encode("books", "Ünïcödé 📚 ???>>>", 123456789L);

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void encodingIsDeterministic() {
        assertThat(Cursor.encode("chapters", 7, ID)).isEqualTo(Cursor.encode("chapters", 7, ID));
    }

    @Test
    void differentKeysGiveDifferentCursors() {
        assertThat(Cursor.encode("chapters", 7, ID)).isNotEqualTo(Cursor.encode("chapters", 8, ID));
    }

    // --- rejected cursors --------------------------------------------------------------------------------

    @Test
    void anotherSpellingOfTheSameBytesIsRejected() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int tried = 0;
        for (String key : List.of("a", "ab", "abc")) {
            String cursor = Cursor.encode("books", key);
            if (cursor.length() % 4 == 0) {
                continue; // no unused bits in the last character
            }
            // The last character's lowest bit is unused: flipping it decodes to the same bytes.
            int last = alphabet.indexOf(cursor.charAt(cursor.length() - 1));
            String respelled = cursor.substring(0, cursor.length() - 1) + alphabet.charAt(last ^ 1);
            assertThat(java.util.Base64.getUrlDecoder().decode(respelled))
                    .isEqualTo(java.util.Base64.getUrlDecoder().decode(cursor));
            assertBadCursor(() -> Cursor.decode(respelled, "books", 1));
            tried++;
        }
        assertThat(tried).isPositive();
    }

    @Test
    void cursorOfAnotherKindIsRejected() {
        String bookCursor = Cursor.encode("books", "algebra");

        assertBadCursor(() -> Cursor.decode(bookCursor, "chapters", 1));
    }

    @Test
    void cursorWithTooFewKeysIsRejected() {
        String cursor = Cursor.encode("chapters", 7);

        assertBadCursor(() -> Cursor.decode(cursor, "chapters", 2));
    }

    @Test
    void cursorWithTooManyKeysIsRejected() {
        String cursor = Cursor.encode("chapters", 7, ID, "extra");

        assertBadCursor(() -> Cursor.decode(cursor, "chapters", 2));
    }

    @Test
    void base64OfArbitraryTextIsRejected() {
        String garbage = base64Url("hello world");

        assertBadCursor(() -> Cursor.decode(garbage, "books", 1));
    }

    @Test
    void cursorOfAnotherVersionIsRejected() {
        String oldVersion = base64Url("c0\u001fbooks\u001falgebra");

        assertBadCursor(() -> Cursor.decode(oldVersion, "books", 1));
    }

    @Test
    void emptyCursorIsRejected() {
        assertBadCursor(() -> Cursor.decode("", "books", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a cursor!", "%%%", "abc=def", "a", "c1+/books=="})
    void textThatIsNotBase64UrlIsRejected(String cursor) {
        assertBadCursor(() -> Cursor.decode(cursor, "books", 1));
    }

    @Test
    void theUnsignedFormatOfEarlierVersionsIsRejected() {
        // "c1<US>books<US><NUL>": once answered 500 because its key reached the database.
        assertBadCursor(() -> Cursor.decode("YzEfYm9va3MfAA", "books", 1));
        assertBadCursor(() -> Cursor.decode(base64Url("c1\u001fbooks\u001falgebra"), "books", 1));
    }

    @Test
    void aCursorWithAnyByteChangedIsRejected() {
        byte[] signed = Base64.getUrlDecoder().decode(Cursor.encode("books", "algebra"));
        for (int i = 0; i < signed.length; i++) {
            byte[] tampered = signed.clone();
            tampered[i] ^= 0x01;
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);

            assertBadCursor(() -> Cursor.decode(cursor, "books", 1));
        }
    }

    @Test
    void aTruncatedCursorIsRejected() {
        String cursor = Cursor.encode("chapters", 7, ID);
        for (int length = 0; length < cursor.length(); length++) {
            String truncated = cursor.substring(0, length);

            assertBadCursor(() -> Cursor.decode(truncated, "chapters", 2));
        }
    }

    @Test
    void aCursorSignedWithAnotherSecretIsRejected() {
        String forged = Cursor.encode(Cursor.keyFor("someone else's secret, long enough to pass"), "books", "algebra");

        assertBadCursor(() -> Cursor.decode(forged, "books", 1));
    }

    @Test
    void theSameSecretGivesTheSameKeyOnEveryReplica() {
        String secret = "one secret shared by every replica of the service";
        String issued = Cursor.encode(Cursor.keyFor(secret), "books", "algebra");

        assertThat(Cursor.decode(Cursor.keyFor(secret), issued, "books", 1)).containsExactly("algebra");
    }

    @Test
    void aSignedKeyWithAControlCharacterIsStillRejected() {
        // Only possible for someone holding the secret (or with the built-in key): keys never hold control characters.
        String cursor = Cursor.encode("books", "alge\u0000bra");

        assertBadCursor(() -> Cursor.decode(cursor, "books", 1));
    }

    @Test
    void anOverlongCursorIsRejectedBeforeDecoding() {
        assertBadCursor(() -> Cursor.decode("A".repeat(100_000), "books", 1));
    }

    // --- typed keys --------------------------------------------------------------------------------------

    @Test
    void longKeyParsesNegativeAndLargeNumbers() {
        assertThat(Cursor.longKey("-5")).isEqualTo(-5L);
        assertThat(Cursor.longKey(String.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "12x", "1.5", " 7", "99999999999999999999"})
    void longKeyRejectsJunk(String value) {
        assertBadCursor(() -> Cursor.longKey(value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not-a-uuid",
                "0f8fad5b-d9cb-469f-a165-70867728950e-ff",
                "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"
            })
    void uuidKeyRejectsJunk(String value) {
        assertBadCursor(() -> Cursor.uuidKey(value));
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static void assertBadCursor(Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("validation");
        assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("cursor");
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
