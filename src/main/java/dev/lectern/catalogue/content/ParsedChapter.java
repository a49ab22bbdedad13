package dev.lectern.catalogue.content;

import java.util.List;

/**
 * A chapter document after parsing: front-matter metadata, the body without front matter, and the body
 * split into sections. Null metadata means "not given in the document".
 */
public record ParsedChapter(
        String title,
        Integer number,
        Difficulty difficulty,
        String summary,
        String author,
        Boolean published,
        String slug,
        List<String> outcomes,
        String body,
        List<Section> sections,
        int estimatedReadingMinutes,
        String contentHash) {

    /** The same chapter with another number (an import numbers chapters by their sidebar order). */
    public ParsedChapter withNumber(int newNumber) {
        return new ParsedChapter(
                title,
                newNumber,
                difficulty,
                summary,
                author,
                published,
                slug,
                outcomes,
                body,
                sections,
                estimatedReadingMinutes,
                contentHash);
    }

    public record Section(int number, String title, String anchor, String body) {}
}
