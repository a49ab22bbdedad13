package dev.lectern.catalogue.curriculum;

import dev.lectern.catalogue.curriculum.FrameworkViews.CreateFrameworkRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateOutcomeRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.CreateSubjectRequest;
import dev.lectern.catalogue.curriculum.FrameworkViews.FrameworkView;
import dev.lectern.catalogue.curriculum.FrameworkViews.OutcomeView;
import dev.lectern.catalogue.curriculum.FrameworkViews.SubjectView;
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
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Curriculum frameworks, their subjects and outcomes. */
@ApplicationScoped
public class FrameworkService {

    private final FrameworkRepository frameworks;
    private final SubjectRepository subjects;
    private final OutcomeRepository outcomes;
    private final OutcomeReferences references;

    public FrameworkService(
            FrameworkRepository frameworks,
            SubjectRepository subjects,
            OutcomeRepository outcomes,
            OutcomeReferences references) {
        this.frameworks = frameworks;
        this.subjects = subjects;
        this.outcomes = outcomes;
        this.references = references;
    }

    /** The id of the outcome a reference ("CODE" or "FRAMEWORK/CODE") names, or a 400 problem on {@code field}. */
    @WithSession
    public Uni<UUID> resolveOutcomeId(String reference, String field) {
        return references
                .resolve(java.util.List.of(reference), field)
                .map(found -> found.iterator().next().id);
    }

    @UncancellableTransaction
    public Uni<FrameworkView> create(CreateFrameworkRequest request) {
        return frameworks.findByCode(request.code()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom()
                        .failure(ProblemException.conflict(
                                "a framework with code '" + request.code() + "' already exists"));
            }
            boolean isDefault = Boolean.TRUE.equals(request.isDefault());
            Instant now = Timestamps.now();
            CurriculumFramework f = new CurriculumFramework();
            f.id = Ids.newId();
            f.code = request.code();
            f.name = request.name().trim();
            f.country = request.country();
            f.structure = request.structure() == null ? Map.of() : request.structure();
            f.isDefault = isDefault;
            f.createdAt = now;
            f.updatedAt = now;
            // Only one default framework: the new default replaces the old one in the same transaction.
            Uni<Integer> clear =
                    isDefault ? frameworks.clearDefault() : Uni.createFrom().item(0);
            return clear.chain(() -> frameworks.persist(f)).map(FrameworkView::of);
        });
    }

    @WithSession
    public Uni<FrameworkView> get(String code) {
        return framework(code).map(FrameworkView::of);
    }

    @WithSession
    public Uni<Page<FrameworkView>> list(int limit, String cursor) {
        String after =
                cursor == null ? null : Cursor.decode(cursor, "frameworks", 1).get(0);
        return frameworks
                .pageAfter(after, limit)
                .map(rows -> Page.of(rows, limit, FrameworkView::of, f -> Cursor.encode("frameworks", f.code)));
    }

    @UncancellableTransaction
    public Uni<SubjectView> createSubject(String frameworkCode, CreateSubjectRequest request) {
        return framework(frameworkCode)
                .chain(f -> subjects.findByCode(f.id, request.code()).chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom()
                                .failure(ProblemException.conflict("framework '" + frameworkCode
                                        + "' already has a subject '" + request.code() + "'"));
                    }
                    Instant now = Timestamps.now();
                    Subject s = new Subject();
                    s.id = Ids.newId();
                    s.frameworkId = f.id;
                    s.code = request.code();
                    s.name = request.name().trim();
                    s.config = request.config() == null ? Map.of() : request.config();
                    s.createdAt = now;
                    s.updatedAt = now;
                    return subjects.persist(s).map(saved -> SubjectView.of(f.code, saved));
                }));
    }

    @WithSession
    public Uni<Page<SubjectView>> listSubjects(String frameworkCode, int limit, String cursor) {
        String after =
                cursor == null ? null : Cursor.decode(cursor, "subjects", 1).get(0);
        return framework(frameworkCode)
                .chain(f -> subjects.pageAfter(f.id, after, limit)
                        .map(rows -> Page.of(
                                rows, limit, s -> SubjectView.of(f.code, s), s -> Cursor.encode("subjects", s.code))));
    }

    @UncancellableTransaction
    public Uni<OutcomeView> createOutcome(String frameworkCode, CreateOutcomeRequest request) {
        return framework(frameworkCode)
                .chain(f -> subjectOrNull(f, request.subject()).chain(subject -> {
                    Instant now = Timestamps.now();
                    Outcome o = new Outcome();
                    o.id = Ids.newId();
                    o.frameworkId = f.id;
                    o.subjectId = subject == null ? null : subject.id;
                    o.code = request.code();
                    o.description = request.description().trim();
                    o.stage = request.stage();
                    o.createdAt = now;
                    o.updatedAt = now;
                    return outcomes.find("frameworkId = ?1 and code = ?2", f.id, o.code)
                            .firstResult()
                            .chain(existing -> existing != null
                                    ? Uni.createFrom()
                                            .failure(ProblemException.conflict("framework '" + frameworkCode
                                                    + "' already has an outcome '" + o.code + "'"))
                                    : outcomes.persist(o)
                                            .map(saved -> OutcomeView.of(
                                                    f.code, subject == null ? null : subject.code, saved)));
                }));
    }

    /** Outcomes of a framework in code order, optionally of one subject; subject codes resolved in one extra query per page. */
    @WithSession
    public Uni<Page<OutcomeView>> listOutcomes(String frameworkCode, String subjectCode, int limit, String cursor) {
        String after =
                cursor == null ? null : Cursor.decode(cursor, "outcomes", 1).get(0);
        return framework(frameworkCode).chain(f -> {
            Uni<Subject> subject = subjectCode == null ? Uni.createFrom().nullItem() : subjectOrNull(f, subjectCode);
            return subject.chain(s -> outcomes.pageAfter(f.id, s == null ? null : s.id, after, limit))
                    .chain(rows -> subjects.byIds(rows.stream()
                                    .map(o -> o.subjectId)
                                    .filter(Objects::nonNull)
                                    .distinct()
                                    .toList())
                            .map(found -> {
                                Map<UUID, String> codes =
                                        found.stream().collect(Collectors.toMap(s -> s.id, s -> s.code));
                                Function<Outcome, OutcomeView> view = o ->
                                        OutcomeView.of(f.code, o.subjectId == null ? null : codes.get(o.subjectId), o);
                                return Page.of(rows, limit, view, o -> Cursor.encode("outcomes", o.code));
                            }));
        });
    }

    private Uni<CurriculumFramework> framework(String code) {
        return frameworks
                .findByCode(code)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("no framework '" + code + "'"));
    }

    private Uni<Subject> subjectOrNull(CurriculumFramework f, String subjectCode) {
        if (subjectCode == null) {
            return Uni.createFrom().nullItem();
        }
        return subjects.findByCode(f.id, subjectCode)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.invalid(
                        "subject", "framework '" + f.code + "' has no subject '" + subjectCode + "'"));
    }
}
