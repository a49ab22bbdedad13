package dev.lectern.catalogue.content;

/**
 * Who may see which books and chapters, for SQL written outside the catalogue: the names of the views of migration
 * V11 that state the rule once. A book is live unless soft-deleted, a chapter unless it or its book is; readers see
 * only published content (a chapter also needs its book published), authors and admins see drafts too. Code outside
 * the catalogue selects from these views and never names the {@code deleted_at} and {@code published} columns
 * ({@code ArchitectureTest}); to ask whether given chapter ids may be seen, call
 * {@link ChapterService#visibleIds}.
 */
public final class VisibleContent {

    /** Books that are not soft-deleted, drafts included. */
    public static final String LIVE_BOOKS = "live_books";
    /** Live and published books. */
    public static final String PUBLISHED_BOOKS = "published_books";
    /** Chapters that are not soft-deleted, in books that are not, drafts included. */
    public static final String LIVE_CHAPTERS = "live_chapters";
    /** Live, published chapters of live, published books. */
    public static final String PUBLISHED_CHAPTERS = "published_chapters";

    private VisibleContent() {}

    /** The view of the books a caller sees: every live one when {@code drafts}, else the published ones. */
    public static String books(boolean drafts) {
        return drafts ? LIVE_BOOKS : PUBLISHED_BOOKS;
    }

    /** The view of the chapters a caller sees: every live one when {@code drafts}, else the published ones. */
    public static String chapters(boolean drafts) {
        return drafts ? LIVE_CHAPTERS : PUBLISHED_CHAPTERS;
    }
}
