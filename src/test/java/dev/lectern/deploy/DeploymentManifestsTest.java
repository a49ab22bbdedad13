package dev.lectern.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.deploy.Manifests.Document;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the deployment files (k8s/, docker/), which are never applied or built on the build machines (no
 * cluster, no Docker engine): they parse, their probes, ports, environment variables and secret keys match what the
 * application really serves and reads, their kustomizations point at existing files, and the pods and images run as
 * the same non-root user with a read-only root filesystem. Each rule is also run against a broken example, so a rule
 * that could never fail is caught too. {@code ProbeEndpointsTest} requests the probe paths from the running app.
 */
class DeploymentManifestsTest {

    /** Used by the assumed graceful-shutdown budget until application.properties sets quarkus.shutdown.*. */
    private static final Duration ASSUMED_SHUTDOWN_DELAY = Duration.ofSeconds(5);

    private static final Duration ASSUMED_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private static final List<Document> K8S = Manifests.kubernetes();

    @Test
    void everyManifestParsesAndNamesItsKind() {
        assertThat(K8S).as("YAML documents under k8s/").hasSizeGreaterThan(10);
        for (Document doc : K8S) {
            if (!doc.file().getFileName().toString().equals("kustomization.yaml")) {
                assertThat(doc.node().path("apiVersion").asText())
                        .as("%s apiVersion", doc)
                        .isNotEmpty();
                assertThat(doc.kind()).as("%s kind", doc).isNotEmpty();
                assertThat(doc.name()).as("%s metadata.name", doc).isNotEmpty();
            }
        }
        Set<Path> roots = Set.of(
                Path.of("k8s", "base"),
                Path.of("k8s", "overlays", "local"),
                Path.of("k8s", "overlays", "neon-qdrant-cloud"));
        Set<Path> kustomizations = K8S.stream()
                .filter(this::isKustomization)
                .map(d -> d.file().getParent())
                .collect(Collectors.toSet());
        assertThat(kustomizations).containsAll(roots);
    }

    @Test
    void kustomizationsOnlyReferToFilesThatExist() {
        assertThat(problems(K8S.stream().filter(this::isKustomization).toList(), DeploymentChecks::kustomizationPaths))
                .isEmpty();
        Document broken = yaml("k8s/base/kustomization.yaml", """
                resources: [deployment.yaml, no-such-file.yaml, ../no-such-overlay]
                patches: [{path: missing-patch.yaml}]
                """);
        assertThat(DeploymentChecks.kustomizationPaths(broken)).hasSize(3);
    }

    @Test
    void everyManifestFileIsUsedByAKustomization() {
        Set<Path> referenced = new TreeSet<>();
        for (Document kustomization : K8S.stream().filter(this::isKustomization).toList()) {
            Path dir = kustomization.file().getParent();
            kustomization
                    .node()
                    .path("resources")
                    .forEach(r -> referenced.add(dir.resolve(r.asText()).normalize()));
            kustomization
                    .node()
                    .path("patches")
                    .forEach(p -> referenced.add(
                            dir.resolve(p.path("path").asText("")).normalize()));
        }
        Set<Path> unused = new TreeSet<>();
        for (Document doc : K8S) {
            String file = doc.file().getFileName().toString();
            if (!file.equals("kustomization.yaml")
                    && !file.endsWith(".example.yaml")
                    && !referenced.contains(doc.file().normalize())) {
                unused.add(doc.file());
            }
        }
        assertThat(unused)
                .as("manifests no kustomization uses (name examples *.example.yaml)")
                .isEmpty();
    }

    @Test
    void probesUseTheHealthEndpointsOnTheApplicationsPort() {
        int port = appPort();
        List<Document> deployments = fullResources().stream()
                .filter(d -> "Deployment".equals(d.kind()) && Manifests.runsLectern(d))
                .toList();
        assertThat(deployments).as("Lectern Deployments").isNotEmpty();
        assertThat(problems(deployments, d -> DeploymentChecks.probes(d, port))).isEmpty();

        Document broken = brokenDeployment("""
                containers:
                  - name: lectern
                    ports: [{name: http, containerPort: 8081}]
                    startupProbe: {httpGet: {path: /q/health/started, port: http}}
                    livenessProbe: {httpGet: {path: /q/health/ready, port: http}}
                    readinessProbe: {httpGet: {path: /health, port: 9000}}
                """);
        assertThat(DeploymentChecks.probes(broken, port)).hasSize(4);
    }

    @Test
    void servicesTargetTheNamedHttpPort() {
        List<Document> services = fullResources().stream()
                .filter(d -> "Service".equals(d.kind()) && Manifests.LECTERN.equals(d.name()))
                .toList();
        assertThat(services).isNotEmpty();
        for (Document service : services) {
            assertThat(Manifests.elements(service.node().path("spec").path("ports"))
                            .map(p -> p.path("targetPort").asText()))
                    .as("%s targetPort", service)
                    .containsOnly(DeploymentChecks.PORT_NAME);
            assertThat(service.node()
                            .path("spec")
                            .path("selector")
                            .path(Manifests.NAME_LABEL)
                            .asText())
                    .isEqualTo(Manifests.LECTERN);
        }
    }

    @Test
    void lecternContainersOnlyGetVariablesTheApplicationReads() {
        Set<String> known = knownVariables();
        List<Document> pods = K8S.stream().filter(Manifests::runsLectern).toList();
        assertThat(problems(pods, d -> DeploymentChecks.variables(d, known))).isEmpty();
        assertThat(problems(K8S, d -> DeploymentChecks.dataKeys(d, known))).isEmpty();

        Document broken = brokenDeployment("""
                containers:
                  - name: lectern
                    env:
                      - {name: LECTERN_DB_POOLSIZE, value: "5"}
                      - name: DATABASE_URL
                        valueFrom: {secretKeyRef: {name: lectern-secrets, key: DATABASE_URI}}
                """);
        assertThat(DeploymentChecks.variables(broken, known)).hasSize(2);
        Document brokenSecret = yaml("k8s/overlays/local/kustomization.yaml", """
                secretGenerator:
                  - name: lectern-secrets
                    literals: [DATABASE_URL=postgres://x/y, QDRANT_KEY=abc]
                """);
        assertThat(DeploymentChecks.dataKeys(brokenSecret, known))
                .singleElement()
                .asString()
                .contains("QDRANT_KEY");
    }

    @Test
    void theSecretCarriesTheDocumentedKeys() {
        Set<String> keys = new TreeSet<>();
        K8S.stream()
                .filter(d -> "Secret".equals(d.kind()) && DeploymentChecks.SECRET.equals(d.name()))
                .forEach(d -> d.node().path("stringData").fieldNames().forEachRemaining(keys::add));
        assertThat(keys)
                .contains(
                        "DATABASE_URL", "DATABASE_DIRECT_URL", "QDRANT_URL", "QDRANT_API_KEY", "LECTERN_ADMIN_API_KEY");
    }

    @Test
    void podsRunNonRootWithAReadOnlyRootFilesystem() {
        int user = DeploymentChecks.finalUser(ApplicationSettings.read(Manifests.DOCKERFILE_JVM));
        assertThat(user)
                .as("USER of Dockerfile.jvm")
                .isEqualTo(DeploymentChecks.finalUser(ApplicationSettings.read(Manifests.DOCKERFILE_NATIVE)));
        List<Document> pods = fullResources().stream()
                .filter(d -> Manifests.ownsPods(d) && Manifests.runsLectern(d))
                .toList();
        assertThat(pods).extracting(Document::kind).contains("Deployment", "Job");
        assertThat(problems(pods, d -> DeploymentChecks.security(d, user))).isEmpty();

        Document broken = brokenDeployment("""
                securityContext: {runAsUser: 0}
                containers:
                  - name: lectern
                    securityContext: {readOnlyRootFilesystem: false, capabilities: {drop: [NET_RAW]}}
                    resources: {requests: {cpu: 250m}}
                    volumeMounts: [{name: tmp, mountPath: /tmp}]
                volumes: [{name: tmp, hostPath: {path: /tmp}}]
                """);
        assertThat(DeploymentChecks.security(broken, user)).hasSize(9);
    }

    @Test
    void appPodsLeaveMigrationsToTheJob() {
        for (Document doc :
                fullResources().stream().filter(Manifests::runsLectern).toList()) {
            for (JsonNode container : Manifests.containers(Manifests.podSpec(doc))) {
                if ("Deployment".equals(doc.kind())) {
                    assertThat(env(container, "LECTERN_MIGRATE_AT_START"))
                            .as("%s", doc)
                            .isEqualTo("false");
                    assertThat(env(container, "LECTERN_MIGRATE_AND_EXIT"))
                            .as("%s", doc)
                            .isNull();
                }
            }
        }
        List<Document> jobs = fullResources().stream()
                .filter(d -> "Job".equals(d.kind()) && Manifests.runsLectern(d))
                .toList();
        assertThat(jobs).hasSize(1);
        JsonNode job = jobs.get(0).node().path("spec");
        assertThat(job.path("backoffLimit").isInt()).as("backoffLimit").isTrue();
        assertThat(job.path("ttlSecondsAfterFinished").isInt())
                .as("ttlSecondsAfterFinished")
                .isTrue();
        assertThat(job.path("template").path("spec").path("restartPolicy").asText())
                .isIn("Never", "OnFailure");
        JsonNode container =
                job.path("template").path("spec").path("containers").get(0);
        assertThat(env(container, "LECTERN_MIGRATE_AT_START")).isEqualTo("true");
        assertThat(env(container, "LECTERN_MIGRATE_AND_EXIT")).isEqualTo("true");
        for (String variable : List.of("DATABASE_DIRECT_URL", "DATABASE_URL")) {
            JsonNode ref = Manifests.elements(container.path("env"))
                    .filter(e -> variable.equals(e.path("name").asText()))
                    .findFirst()
                    .orElseThrow()
                    .path("valueFrom")
                    .path("secretKeyRef");
            assertThat(ref.path("key").asText())
                    .as("the Job's %s uses the direct endpoint", variable)
                    .isEqualTo("DATABASE_DIRECT_URL");
        }
    }

    @Test
    void terminationGraceCoversTheShutdownDelayAndTimeout() {
        Duration delay = ApplicationSettings.defaultValue("quarkus.shutdown.delay")
                .map(DeploymentManifestsTest::duration)
                .orElse(ASSUMED_SHUTDOWN_DELAY);
        Duration timeout = ApplicationSettings.defaultValue("quarkus.shutdown.timeout")
                .map(DeploymentManifestsTest::duration)
                .orElse(ASSUMED_SHUTDOWN_TIMEOUT);
        for (Document doc : fullResources().stream()
                .filter(d -> "Deployment".equals(d.kind()) && Manifests.runsLectern(d))
                .toList()) {
            long grace =
                    Manifests.podSpec(doc).path("terminationGracePeriodSeconds").asLong(30);
            assertThat(grace)
                    .as("%s terminationGracePeriodSeconds vs shutdown delay %s + timeout %s", doc, delay, timeout)
                    .isGreaterThan(delay.plus(timeout).toSeconds());
        }
    }

    @Test
    void theJvmDockerfileShipsTheJarWithItsAotCacheAndRunsNonRootOnTheAppPort() {
        int port = appPort();
        assertThat(DeploymentChecks.jvmDockerfile(ApplicationSettings.read(Manifests.DOCKERFILE_JVM), port))
                .isEmpty();
        String broken = """
                FROM registry.access.redhat.com/ubi9/openjdk-21-runtime:1.21
                COPY target/quarkus-app/lib/ /deployments/lib/
                COPY target/*-runner.jar /deployments/
                EXPOSE 9090
                USER root
                ENTRYPOINT ["java", "-jar", "/deployments/app.jar"]
                """;
        assertThat(DeploymentChecks.jvmDockerfile(broken, port)).hasSize(8);
        String withoutInitialHeap =
                ApplicationSettings.read(Manifests.DOCKERFILE_JVM).replace("-XX:InitialRAMPercentage=10 ", "");
        assertThat(DeploymentChecks.jvmDockerfile(withoutInitialHeap, port))
                .containsExactly(
                        "the JVM uses an AOT cache without an initial heap size (-XX:InitialRAMPercentage or -Xms)");
    }

    @Test
    void theNativeDockerfileBuildsWithMandrelAndRunsNonRootOnTheAppPort() {
        int port = appPort();
        assertThat(DeploymentChecks.nativeDockerfile(ApplicationSettings.read(Manifests.DOCKERFILE_NATIVE), port))
                .isEmpty();
        String broken = """
                FROM quay.io/quarkus/quarkus-micro-image:2.0
                COPY target/*-runner /work/application
                EXPOSE 8080
                ENTRYPOINT ["./application"]
                """;
        assertThat(DeploymentChecks.nativeDockerfile(broken, port)).hasSize(5);
    }

    @Test
    void composeWiresPostgresAndQdrantIntoLecternWithHealthChecks() {
        JsonNode services = Manifests.compose().node().path("services");
        assertThat(services.fieldNames()).toIterable().contains("postgres", "qdrant", "lectern");
        services.properties()
                .forEach(s -> assertThat(s.getValue().has("healthcheck"))
                        .as("%s healthcheck", s.getKey())
                        .isTrue());
        assertThat(services.path("postgres").path("image").asText()).matches("postgres:1[56](\\..*)?");
        assertThat(services.path("qdrant").path("image").asText()).startsWith("qdrant/qdrant:");
        assertThat(Manifests.elements(services.path("qdrant").path("ports")).map(JsonNode::asText))
                .anyMatch(p -> p.endsWith(":6333"))
                .anyMatch(p -> p.endsWith(":6334"));

        JsonNode lectern = services.path("lectern");
        Path dockerfile = Manifests.COMPOSE
                .getParent()
                .resolve(lectern.path("build").path("context").asText())
                .resolve(lectern.path("build").path("dockerfile").asText())
                .normalize();
        assertThat(dockerfile).isEqualTo(Manifests.DOCKERFILE_JVM);
        assertThat(Manifests.elements(lectern.path("ports")).map(JsonNode::asText))
                .anyMatch(p -> p.endsWith(":" + appPort()));
        for (String dependency : List.of("postgres", "qdrant")) {
            assertThat(lectern.path("depends_on")
                            .path(dependency)
                            .path("condition")
                            .asText())
                    .as(dependency)
                    .isEqualTo("service_healthy");
        }
        JsonNode environment = lectern.path("environment");
        Set<String> known = knownVariables();
        environment
                .fieldNames()
                .forEachRemaining(name -> assertThat(known)
                        .as("compose variable %s is read by the app", name)
                        .contains(name));
        assertThat(URI.create(environment.path("DATABASE_URL").asText()).getHost())
                .isEqualTo("postgres");
        assertThat(URI.create(environment.path("DATABASE_DIRECT_URL").asText()).getHost())
                .isEqualTo("postgres");
        URI qdrant = URI.create(environment.path("QDRANT_URL").asText());
        assertThat(qdrant.getHost() + ":" + qdrant.getPort()).isEqualTo("qdrant:6334");
    }

    @Test
    void theKnownVariablesComeFromTheSource() {
        Set<String> known = ApplicationSettings.knownVariables();
        // From application.properties references, the config source factories, @ConfigProperty names and the image.
        assertThat(known)
                .contains(
                        "LECTERN_MIGRATE_AT_START",
                        "LECTERN_MIGRATE_AND_EXIT",
                        "LECTERN_DB_POOL_SIZE",
                        "PORT",
                        "DATABASE_URL",
                        "DATABASE_DIRECT_URL",
                        "LECTERN_AUTH_JWKS_URL",
                        "LECTERN_AUTH_ISSUER",
                        "LECTERN_AUTH_AUDIENCE",
                        "LECTERN_ADMIN_API_KEY",
                        "LECTERN_VARIANTS_PURGE_BATCH",
                        "JAVA_OPTS_APPEND");
        assertThat(known).doesNotContain("LECTERN_DB_POOLSIZE", "DATABASE_URI", "QUARKUS_DATASOURCE_REACTIVE_URL");
    }

    @Test
    void everyVariableTheReadmeDocumentsIsReadByTheApp() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("## Configuration"), readme.indexOf("## Layout"));
        Set<String> documented = new TreeSet<>();
        java.util.regex.Matcher variable = java.util.regex.Pattern.compile("`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")
                .matcher(table);
        while (variable.find()) {
            documented.add(variable.group(1));
        }
        assertThat(documented)
                .as("variables in the README's configuration table")
                .hasSizeGreaterThan(30);
        assertThat(knownVariables()).as("variables the application reads").containsAll(documented);
    }

    private static Set<String> knownVariables() {
        return new TreeSet<>(ApplicationSettings.knownVariables());
    }

    /** Documents that are complete resources: not kustomizations and not patches listed by one. */
    private static List<Document> fullResources() {
        Set<Path> patches = new TreeSet<>();
        for (Document doc : K8S) {
            if (doc.file().getFileName().toString().equals("kustomization.yaml")) {
                doc.node().path("patches").forEach(p -> {
                    if (p.has("path")) {
                        patches.add(doc.file()
                                .getParent()
                                .resolve(p.path("path").asText())
                                .normalize());
                    }
                });
            }
        }
        return K8S.stream()
                .filter(d -> !d.file().getFileName().toString().equals("kustomization.yaml"))
                .filter(d -> !patches.contains(d.file().normalize()))
                .toList();
    }

    private boolean isKustomization(Document doc) {
        return doc.file().getFileName().toString().equals("kustomization.yaml");
    }

    private static int appPort() {
        String port = ApplicationSettings.defaultValue("quarkus.http.port").orElse("8080");
        assertThat(port).as("quarkus.http.port default").isEqualTo("8080");
        return Integer.parseInt(port);
    }

    private static String env(JsonNode container, String name) {
        return Manifests.elements(container.path("env"))
                .filter(e -> name.equals(e.path("name").asText()))
                .map(e -> e.path("value").asText(null))
                .findFirst()
                .orElse(null);
    }

    private static Duration duration(String value) {
        String v = value.trim();
        return v.matches("\\d+")
                ? Duration.ofSeconds(Long.parseLong(v))
                : v.matches("\\d+(ms|s|m|h)")
                        ? Duration.parse("PT" + v.replace("ms", "").toUpperCase())
                        : Duration.parse(v);
    }

    private static List<String> problems(List<Document> docs, Function<Document, List<String>> check) {
        List<String> out = new ArrayList<>();
        docs.forEach(d -> out.addAll(check.apply(d)));
        return out;
    }

    /** A Deployment with the given pod spec, posing as the base's. */
    private static Document brokenDeployment(String podSpec) {
        return yaml("k8s/base/deployment.yaml", """
                kind: Deployment
                metadata: {name: lectern}
                spec:
                  template:
                    spec:
                """ + podSpec.indent(6));
    }

    private static Document yaml(String file, String text) {
        try {
            return Manifests.parse(Path.of(file), text).get(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
