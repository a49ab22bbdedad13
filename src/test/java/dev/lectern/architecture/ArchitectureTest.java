package dev.lectern.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries, checked on Lectern's classes: platform depends on no feature; no feature reaches into
 * another's repository, store or entity; only the catalogue names the visibility columns (every other feature reads
 * its views); resources and services send no SQL; the retriever is plain client code (JDK, Jackson, LangChain4j). Each rule also runs against a fixture that breaks it
 * ({@code dev.lectern.architecture.fixture}), so a rule that could never fail is caught too.
 */
class ArchitectureTest {

    private static final JavaClasses LECTERN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lectern");

    private static final String FIXTURE = "dev.lectern.architecture.fixture";
    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void lecternKeepsItsBoundaries() {
        List<String> violations = new java.util.ArrayList<>();
        for (ArchRule rule : new ArchitectureRules("dev.lectern").all()) {
            EvaluationResult result = rule.evaluate(LECTERN);
            if (result.hasViolation()) {
                violations.add(result.getFailureReport().toString());
            }
        }
        assertThat(violations).as("architecture violations").isEmpty();
    }

    @Test
    void everyRuleFailsOnCodeThatBreaksIt() {
        List<ArchRule> rules = new ArchitectureRules(FIXTURE).all();
        for (ArchRule rule : rules) {
            EvaluationResult result = rule.evaluate(BROKEN);
            assertThat(result.hasViolation())
                    .as("rule '%s' on the fixture", rule.getDescription())
                    .isTrue();
        }
        EvaluationResult visibility = new ArchitectureRules(FIXTURE)
                .onlyTheCatalogueNamesTheVisibilityColumns()
                .evaluate(BROKEN);
        assertThat(visibility.getFailureReport().getDetails())
                .as("the catalogue itself may name the columns")
                .noneMatch(line -> line.contains(".catalogue."))
                .anyMatch(line -> line.contains("deleted_at"));
    }
}
