package dev.lectern.retriever;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which passages a context pack may draw on, as Lectern's {@code SearchFilters}: every field optional (null for "any");
 * values within a list are alternatives, fields combine with AND. Lectern checks the values (slugs, levels, language
 * codes) and answers a bad one with a 400, which the retriever throws as a {@link LecternRetrievalException}.
 *
 * @param book a book slug
 * @param chapters chapter slugs (within {@code book} when given)
 * @param sections section numbers
 * @param difficulty {@code beginner}, {@code intermediate}, {@code advanced}
 * @param language book language codes ({@code en}, {@code pt-BR})
 * @param outcomes outcome codes the chapter teaches
 */
public record LecternFilters(
        String book,
        List<String> chapters,
        List<Integer> sections,
        List<String> difficulty,
        List<String> language,
        List<String> outcomes) {

    private static final LecternFilters NONE = new LecternFilters(null, null, null, null, null, null);

    public LecternFilters {
        chapters = copy(chapters);
        sections = copy(sections);
        difficulty = copy(difficulty);
        language = copy(language);
        outcomes = copy(outcomes);
    }

    /** No filter: the whole catalogue the caller may read. */
    public static LecternFilters none() {
        return NONE;
    }

    /** One book's passages. */
    public static LecternFilters book(String book) {
        return NONE.withBook(book);
    }

    public LecternFilters withBook(String newBook) {
        return new LecternFilters(newBook, chapters, sections, difficulty, language, outcomes);
    }

    public LecternFilters withChapters(String... slugs) {
        return new LecternFilters(book, Arrays.asList(slugs), sections, difficulty, language, outcomes);
    }

    public LecternFilters withSections(Integer... numbers) {
        return new LecternFilters(book, chapters, Arrays.asList(numbers), difficulty, language, outcomes);
    }

    public LecternFilters withDifficulty(String... levels) {
        return new LecternFilters(book, chapters, sections, Arrays.asList(levels), language, outcomes);
    }

    public LecternFilters withLanguage(String... codes) {
        return new LecternFilters(book, chapters, sections, difficulty, Arrays.asList(codes), outcomes);
    }

    public LecternFilters withOutcomes(String... codes) {
        return new LecternFilters(book, chapters, sections, difficulty, language, Arrays.asList(codes));
    }

    /** Null stays null (no filter); a list is copied, nulls inside left for Lectern to refuse. */
    private static <T> List<T> copy(List<T> values) {
        return values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
    }
}
