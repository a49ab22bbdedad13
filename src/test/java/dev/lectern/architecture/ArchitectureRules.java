package dev.lectern.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The package boundaries of STYLE.md, for a code base whose features are the packages directly under {@code root}
 * (sub-packages belong to their feature) and whose cross-cutting code is {@code root.platform}. Built for a root so
 * that {@code ArchitectureTest} can show each rule failing on a fixture as well as passing on Lectern.
 */
final class ArchitectureRules {

    /** SQL or HQL naming the columns (or entity fields) of the catalogue's visibility rule. */
    static final Pattern VISIBILITY_COLUMNS = Pattern.compile("\\b(deleted_at|deletedAt|published)\\b");

    private final String root;
    private final String catalogue;

    ArchitectureRules(String root) {
        this.root = root;
        this.catalogue = root + ".catalogue";
    }

    List<ArchRule> all() {
        return List.of(
                platformDependsOnNoFeature(),
                noFeatureReachesIntoAnotherFeaturesDataAccess(),
                onlyTheCatalogueNamesTheVisibilityColumns(),
                resourcesAndServicesSendNoSql(),
                theRetrieverIsPlainClientCode());
    }

    /** Cross-cutting code knows nothing of the features that use it. */
    ArchRule platformDependsOnNoFeature() {
        return noClasses()
                .that()
                .resideInAPackage(root + ".platform..")
                .should()
                .dependOnClassesThat(inAFeature())
                .as("platform depends on no feature");
    }

    /** A feature calls another feature's services, never its repositories, stores or entities. */
    ArchRule noFeatureReachesIntoAnotherFeaturesDataAccess() {
        return classes()
                .that(inAFeature())
                .should(new ArchCondition<>("not use another feature's repository, store or entity") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        String own = feature(type).orElseThrow();
                        for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                            JavaClass target = dependency.getTargetClass();
                            Optional<String> other = feature(target);
                            if (other.isPresent() && !other.get().equals(own) && dataAccess(target)) {
                                events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                            }
                        }
                    }
                })
                .as("no feature reaches into another feature's repository, store or entity");
    }

    /** Content visibility has one owner: only the catalogue names deleted_at and published; others use its views. */
    ArchRule onlyTheCatalogueNamesTheVisibilityColumns() {
        return classes()
                .that()
                .resideInAPackage(root + "..")
                .and()
                .resideOutsideOfPackage(catalogue + "..")
                .should(new ArchCondition<>("not name the visibility columns deleted_at or published in SQL") {
                    @Override
                    public void check(JavaClass type, ConditionEvents events) {
                        for (String literal : StringConstants.of(type)) {
                            if (VISIBILITY_COLUMNS.matcher(literal).find()) {
                                events.add(SimpleConditionEvent.violated(
                                        type,
                                        type.getName() + " names a visibility column (use the catalogue's views, "
                                                + "VisibleContent) in: " + abbreviate(literal)));
                            }
                        }
                    }
                })
                .as("only the catalogue names the visibility columns");
    }

    /** SQL lives in repositories and stores; resources map HTTP, services hold the rules and transactions. */
    ArchRule resourcesAndServicesSendNoSql() {
        return noClasses()
                .that()
                .resideInAPackage(root + "..")
                .and(DescribedPredicate.describe(
                        "are resources or services",
                        (JavaClass c) -> c.getSimpleName().endsWith("Resource")
                                || c.getSimpleName().endsWith("Service")
                                || c.isAnnotatedWith("jakarta.ws.rs.Path")))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.hibernate.reactive.mutiny.Mutiny$Session")
                .as("resources and services send no SQL (repositories and stores do)");
    }

    /**
     * The LangChain4j retriever is client code that could leave for a client jar as it is: the JDK, Jackson and
     * LangChain4j only, nothing of Quarkus, CDI or the rest of Lectern.
     */
    ArchRule theRetrieverIsPlainClientCode() {
        return classes()
                .that()
                .resideInAPackage(root + ".retriever..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson..", "dev.langchain4j..", root + ".retriever..")
                .as("the retriever depends on the JDK, Jackson and LangChain4j only");
    }

    private DescribedPredicate<JavaClass> inAFeature() {
        return DescribedPredicate.describe(
                "are in a feature package", (JavaClass c) -> feature(c).isPresent());
    }

    /** The feature a class belongs to: the package directly under the root, unless it is platform. */
    private Optional<String> feature(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith(root + ".")) {
            return Optional.empty();
        }
        String first = name.substring(root.length() + 1).split("\\.")[0];
        return first.equals("platform") ? Optional.empty() : Optional.of(first);
    }

    private static boolean dataAccess(JavaClass target) {
        JavaClass type = target.getBaseComponentType();
        String name = type.getSimpleName();
        return type.isAnnotatedWith("jakarta.persistence.Entity")
                || type.isAssignableTo("io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase")
                || name.endsWith("Repository")
                || name.endsWith("Store")
                || type.getEnclosingClass().map(ArchitectureRules::dataAccess).orElse(false);
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
