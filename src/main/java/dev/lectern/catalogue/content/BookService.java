package dev.lectern.catalogue.content;

import dev.lectern.catalogue.content.BookViews.BookView;
import dev.lectern.catalogue.content.BookViews.CreateBookRequest;
import dev.lectern.catalogue.content.BookViews.UpdateBookRequest;
import dev.lectern.platform.Cursor;
import dev.lectern.platform.Ids;
import dev.lectern.platform.Page;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Timestamps;
import dev.lectern.platform.UncancellableTransaction;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

@ApplicationScoped
public class BookService {

    private static final String CURSOR_KIND = "books";
    private final BookRepository books;

    public BookService(BookRepository books) {
        this.books = books;
    }

    @UncancellableTransaction
    public Uni<BookView> create(CreateBookRequest request) {
        return books.findLive(request.slug()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom()
                        .failure(ProblemException.conflict("a book with slug '" + request.slug() + "' already exists"));
            }
            Instant now = Timestamps.now();
            Book book = new Book();
            book.id = Ids.newId();
            book.slug = request.slug();
            book.title = request.title().trim();
            book.description = request.description();
            book.language = request.language() == null ? "en" : request.language();
            book.published = Boolean.TRUE.equals(request.published());
            book.createdAt = now;
            book.updatedAt = now;
            return books.persist(book).map(BookView::of);
        });
    }

    @WithSession
    public Uni<BookView> get(String slug, boolean drafts) {
        return visible(slug, drafts).map(BookView::of);
    }

    @WithSession
    public Uni<Page<BookView>> list(int limit, String cursor, boolean drafts) {
        String after =
                cursor == null ? null : Cursor.decode(cursor, CURSOR_KIND, 1).get(0);
        return books.pageAfter(after, limit, drafts)
                .map(rows -> Page.of(rows, limit, BookView::of, b -> Cursor.encode(CURSOR_KIND, b.slug)));
    }

    @UncancellableTransaction
    public Uni<BookView> update(String slug, UpdateBookRequest request) {
        return live(slug)
                .map(book -> {
                    boolean changed = false;
                    if (request.title() != null && !request.title().trim().equals(book.title)) {
                        book.title = request.title().trim();
                        changed = true;
                    }
                    if (request.description() != null && !request.description().equals(book.description)) {
                        book.description = request.description();
                        changed = true;
                    }
                    if (request.language() != null && !request.language().equals(book.language)) {
                        book.language = request.language();
                        changed = true;
                    }
                    if (request.published() != null && request.published() != book.published) {
                        book.published = request.published();
                        changed = true;
                    }
                    if (changed) {
                        book.updatedAt = Timestamps.now();
                    }
                    return book;
                })
                .call(books::flush)
                .map(BookView::of);
    }

    /** Soft delete: the book and its chapters disappear from reads; the rows stay for audit and recovery. */
    @UncancellableTransaction
    public Uni<Void> delete(String slug) {
        return live(slug)
                .invoke(book -> {
                    book.deletedAt = Timestamps.now();
                    book.updatedAt = book.deletedAt;
                })
                .replaceWithVoid();
    }

    /** The book if this reader may see it, or a 404 problem (a draft is not revealed). Call inside a session. */
    Uni<Book> visible(String slug, boolean drafts) {
        return books.findVisible(slug, drafts)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no book '" + slug + "'"));
    }

    /** The live book with this slug, or a 404 problem. Call inside a session. */
    public Uni<Book> live(String slug) {
        return books.findLive(slug)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no book '" + slug + "'"));
    }
}
