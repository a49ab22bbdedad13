package dev.lectern.catalogue.content;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of the book endpoints. */
public final class BookViews {

    public static final String SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$";
    public static final String SLUG_MESSAGE = "must be lower-case letters and digits separated by single hyphens";
    static final String LANGUAGE = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
    static final String LANGUAGE_MESSAGE = "must be a BCP 47 language tag such as en, ur or pt-BR";

    private BookViews() {}

    @Schema(name = "CreateBook")
    public record CreateBookRequest(
            @NotNull
            @Size(max = 100)
            @Pattern(regexp = SLUG, message = SLUG_MESSAGE)
            @Schema(example = "ros2-fundamentals")
            String slug,

            @NotBlank @Size(max = 300) @Schema(example = "Robot Software Fundamentals with ROS 2")
            String title,

            @Size(max = 5000) String description,

            @Pattern(regexp = LANGUAGE, message = LANGUAGE_MESSAGE) @Schema(example = "en", defaultValue = "en")
            String language,

            @Schema(defaultValue = "false") Boolean published) {}

    @Schema(name = "UpdateBook", description = "Fields to change; absent fields stay as they are")
    public record UpdateBookRequest(
            @Size(min = 1, max = 300) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String title,

            @Size(max = 5000) String description,

            @Pattern(regexp = LANGUAGE, message = LANGUAGE_MESSAGE)
            String language,

            Boolean published) {}

    @Schema(name = "Book")
    public record BookView(
            UUID id,
            String slug,
            String title,
            String description,
            String language,
            boolean published,
            long version,
            Instant createdAt,
            Instant updatedAt) {

        static BookView of(Book book) {
            return new BookView(
                    book.id,
                    book.slug,
                    book.title,
                    book.description,
                    book.language,
                    book.published,
                    book.version,
                    book.createdAt,
                    book.updatedAt);
        }
    }
}
