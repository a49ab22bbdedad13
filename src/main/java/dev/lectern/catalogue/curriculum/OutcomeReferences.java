package dev.lectern.catalogue.curriculum;

import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves outcome references as authors and clients write them: a plain code ("ROS.COMM.1") must be unambiguous or
 * belong to the default framework; "FRAMEWORK/CODE" names one framework's outcome. Unknown references are a 400.
 * Call inside a session.
 */
@ApplicationScoped
public class OutcomeReferences {

    private final OutcomeRepository outcomes;

    public OutcomeReferences(OutcomeRepository outcomes) {
        this.outcomes = outcomes;
    }

    public Uni<Set<Outcome>> resolve(List<String> references) {
        return resolve(references, "outcomes");
    }

    Uni<Set<Outcome>> resolve(List<String> references, String field) {
        if (references.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return outcomes.candidates(references).map(rows -> {
            Set<Outcome> resolved = new HashSet<>();
            List<Problem.FieldError> errors = new ArrayList<>();
            for (String ref : references) {
                List<Object[]> matches = rows.stream()
                        .filter(r ->
                                ref.equals(((Outcome) r[0]).code) || ref.equals(r[1] + "/" + ((Outcome) r[0]).code))
                        .toList();
                if (matches.size() > 1) {
                    matches = matches.stream().filter(r -> (Boolean) r[2]).toList();
                }
                if (matches.isEmpty()) {
                    errors.add(
                            new Problem.FieldError(
                                    field,
                                    "unknown or ambiguous outcome '" + ref
                                            + "'; create it under /api/v1/frameworks/{code}/outcomes or qualify it as FRAMEWORK/CODE"));
                } else {
                    resolved.add((Outcome) matches.get(0)[0]);
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return resolved;
        });
    }
}
