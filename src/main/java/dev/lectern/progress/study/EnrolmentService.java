package dev.lectern.progress.study;

import dev.lectern.platform.ProblemException;
import dev.lectern.progress.study.EnrolmentViews.EnrolmentView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Enrolments: what a learner studies, a book or a framework's subject, unique per learner and target. Enrolling twice
 * is harmless (PUT is idempotent); each change is one SQL statement ({@link EnrolmentStore}).
 */
@ApplicationScoped
public class EnrolmentService {

    /** An enrolment and whether this call created it. */
    public record Enrolled(EnrolmentView enrolment, boolean created) {}

    private final EnrolmentStore store;

    public EnrolmentService(EnrolmentStore store) {
        this.store = store;
    }

    /** The user's enrolments; a book the caller may not read is not named (see {@link EnrolmentStore}). */
    public Uni<List<EnrolmentView>> list(UUID userId, boolean drafts) {
        return store.list(userId, drafts);
    }

    /** Enrols in a book the caller may read; a draft, for a learner, is answered as no book. */
    public Uni<Enrolled> enrolInBook(UUID userId, String book, boolean drafts) {
        return enrolled(store.enrolInBook(userId, book, drafts), "no book '" + book + "'", drafts);
    }

    public Uni<Enrolled> enrolInSubject(UUID userId, String framework, String subject) {
        return enrolled(
                store.enrolInSubject(userId, framework, subject),
                "no subject '" + subject + "' in framework '" + framework + "'",
                false);
    }

    public Uni<Void> leaveBook(UUID userId, String book) {
        return left(store.leaveBook(userId, book), "not enrolled in book '" + book + "'");
    }

    public Uni<Void> leaveSubject(UUID userId, String framework, String subject) {
        return left(
                store.leaveSubject(userId, framework, subject),
                "not enrolled in subject '" + subject + "' of '" + framework + "'");
    }

    private Uni<Enrolled> enrolled(Uni<EnrolmentStore.Enrolment> enrolment, String notFound, boolean drafts) {
        return enrolment.chain(e -> {
            if (!e.targetExists()) {
                return Uni.createFrom().failure(ProblemException.notFound(notFound));
            }
            boolean created = e.inserted() != null;
            UUID id = created ? e.inserted() : e.existing();
            return store.get(id, drafts).map(view -> new Enrolled(view, created));
        });
    }

    private static Uni<Void> left(Uni<Boolean> deleted, String notFound) {
        return deleted.map(any -> {
            if (!any) {
                throw ProblemException.notFound(notFound);
            }
            return null;
        });
    }
}
