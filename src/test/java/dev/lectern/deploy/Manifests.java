package dev.lectern.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The deployment files as parsed YAML: every document of every {@code .yaml}/{@code .yml} file under {@code k8s/}
 * (bases, overlays, patches, examples) and {@code docker/compose.yml}. Paths are relative to the project root, which is
 * the working directory of Maven's test runs.
 */
final class Manifests {

    static final Path K8S = Path.of("k8s");
    static final Path COMPOSE = Path.of("docker", "compose.yml");
    static final Path DOCKERFILE_JVM = Path.of("docker", "Dockerfile.jvm");
    static final Path DOCKERFILE_NATIVE = Path.of("docker", "Dockerfile.native");

    /** Label that marks Lectern's own pods (the local overlay also runs PostgreSQL and Qdrant pods). */
    static final String NAME_LABEL = "app.kubernetes.io/name";

    static final String LECTERN = "lectern";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> POD_OWNERS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    /** One YAML document and the file it came from. */
    record Document(Path file, JsonNode node) {

        String kind() {
            return node.path("kind").asText("");
        }

        String name() {
            return node.path("metadata").path("name").asText("");
        }

        @Override
        public String toString() {
            return file + (kind().isEmpty() ? "" : " " + kind() + "/" + name());
        }
    }

    private Manifests() {}

    /** Every document under {@code k8s/}. */
    static List<Document> kubernetes() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .flatMap(f -> parse(f).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + K8S, e);
        }
    }

    /** The compose file's single document. */
    static Document compose() {
        List<Document> docs = parse(COMPOSE);
        if (docs.size() != 1) {
            throw new IllegalStateException(COMPOSE + " should hold exactly one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** All non-empty documents of one file; a syntax error fails with the file's name. */
    static List<Document> parse(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** All non-empty documents of YAML text, attributed to {@code file}. */
    static List<Document> parse(Path file, String yaml) throws IOException {
        List<Document> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNextValue()) {
                JsonNode node = values.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(new Document(file, node));
                }
            }
        }
        return docs;
    }

    /** Whether a document owns a pod template (Deployment, Job, ...) or is a patch of one. */
    static boolean ownsPods(Document doc) {
        return POD_OWNERS.contains(doc.kind());
    }

    /** The pod spec of a Deployment/StatefulSet/DaemonSet/Job, or a missing node. */
    static JsonNode podSpec(Document doc) {
        return ownsPods(doc) ? doc.node().path("spec").path("template").path("spec") : MissingNode.getInstance();
    }

    /** Whether a pod-owning document runs Lectern: its pod template, or else its own metadata, has name=lectern. */
    static boolean runsLectern(Document doc) {
        JsonNode templateLabels =
                doc.node().path("spec").path("template").path("metadata").path("labels");
        JsonNode labels =
                templateLabels.isMissingNode() ? doc.node().path("metadata").path("labels") : templateLabels;
        return ownsPods(doc) && LECTERN.equals(labels.path(NAME_LABEL).asText(LECTERN));
    }

    /** The containers (and init containers) of a pod spec. */
    static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> out = new ArrayList<>();
        podSpec.path("initContainers").forEach(out::add);
        podSpec.path("containers").forEach(out::add);
        return out;
    }

    /** The elements of a YAML sequence (none if absent). */
    static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
