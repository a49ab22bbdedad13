package dev.lectern.deploy;

import static dev.lectern.deploy.Manifests.containers;
import static dev.lectern.deploy.Manifests.elements;
import static dev.lectern.deploy.Manifests.podSpec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.deploy.Manifests.Document;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules the deployment files must follow, each returning what breaks it (empty when none), so the tests can run
 * them against the real files and against deliberately broken ones.
 */
final class DeploymentChecks {

    /** The Kubernetes probe kinds and the SmallRye Health endpoint each must use. */
    static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready");

    static final String PORT_NAME = "http";
    static final String SECRET = "lectern-secrets";
    static final String CONFIG_MAP = "lectern-config";

    private DeploymentChecks() {}

    /** Long-running Lectern containers probe the three health endpoints on the http port, which is the app's port. */
    static List<String> probes(Document doc, int appPort) {
        List<String> problems = new ArrayList<>();
        if (!"Deployment".equals(doc.kind())) {
            return problems;
        }
        for (JsonNode container : containers(podSpec(doc))) {
            String where = doc + " container " + container.path("name").asText();
            boolean declaresPort = elements(container.path("ports"))
                    .anyMatch(p -> PORT_NAME.equals(p.path("name").asText())
                            && p.path("containerPort").asInt() == appPort);
            if (!declaresPort) {
                problems.add(where + ": no container port named '" + PORT_NAME + "' on " + appPort);
            }
            PROBES.forEach((probe, path) -> {
                JsonNode get = container.path(probe).path("httpGet");
                if (get.isMissingNode()) {
                    problems.add(where + ": no " + probe + " with httpGet");
                    return;
                }
                if (!path.equals(get.path("path").asText())) {
                    problems.add(where + ": " + probe + " path is '"
                            + get.path("path").asText() + "', expected " + path);
                }
                String port = get.path("port").asText();
                if (!PORT_NAME.equals(port) && !String.valueOf(appPort).equals(port)) {
                    problems.add(
                            where + ": " + probe + " port is '" + port + "', expected " + PORT_NAME + " or " + appPort);
                }
            });
        }
        return problems;
    }

    /** Every environment variable a Lectern container is given is one the application reads. */
    static List<String> variables(Document doc, Set<String> known) {
        List<String> problems = new ArrayList<>();
        for (JsonNode container : containers(podSpec(doc))) {
            String where = doc + " container " + container.path("name").asText();
            for (JsonNode env : container.path("env")) {
                String name = env.path("name").asText();
                if (!known.contains(name)) {
                    problems.add(where + ": env " + name + " is not read by the application");
                }
                JsonNode secretKey = env.path("valueFrom").path("secretKeyRef");
                if (!secretKey.isMissingNode()
                        && !known.contains(secretKey.path("key").asText())) {
                    problems.add(where + ": secret key " + secretKey.path("key").asText() + " (for " + name
                            + ") is not a variable the application reads");
                }
                JsonNode configKey = env.path("valueFrom").path("configMapKeyRef");
                if (!configKey.isMissingNode()
                        && !known.contains(configKey.path("key").asText())) {
                    problems.add(where + ": config map key "
                            + configKey.path("key").asText() + " is not a variable the application reads");
                }
            }
        }
        return problems;
    }

    /** The keys of Lectern's ConfigMap and Secret (manifests, patches, examples, generators) are variables it reads. */
    static List<String> dataKeys(Document doc, Set<String> known) {
        List<String> problems = new ArrayList<>();
        boolean ours = ("ConfigMap".equals(doc.kind()) && CONFIG_MAP.equals(doc.name()))
                || ("Secret".equals(doc.kind()) && SECRET.equals(doc.name()));
        if (ours) {
            for (String field : List.of("data", "stringData")) {
                doc.node().path(field).fieldNames().forEachRemaining(key -> {
                    if (!known.contains(key)) {
                        problems.add(doc + ": " + field + " key " + key + " is not a variable the application reads");
                    }
                });
            }
        }
        if ("Kustomization".equals(doc.kind())
                || doc.file().getFileName().toString().equals("kustomization.yaml")) {
            for (String generator : List.of("secretGenerator", "configMapGenerator")) {
                for (JsonNode generated : doc.node().path(generator)) {
                    String name = generated.path("name").asText();
                    if (!SECRET.equals(name) && !CONFIG_MAP.equals(name)) {
                        continue;
                    }
                    for (JsonNode literal : generated.path("literals")) {
                        String key = literal.asText().split("=", 2)[0];
                        if (!known.contains(key)) {
                            problems.add(doc + ": " + generator + " " + name + " key " + key
                                    + " is not a variable the application reads");
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** Non-root, read-only root filesystem, no privilege escalation, no capabilities, seccomp, writable /tmp, resources. */
    static List<String> security(Document doc, int expectedUser) {
        List<String> problems = new ArrayList<>();
        JsonNode pod = podSpec(doc);
        if (containers(pod).isEmpty()) {
            return problems;
        }
        JsonNode podContext = pod.path("securityContext");
        boolean seccompOnPod = "RuntimeDefault"
                .equals(podContext.path("seccompProfile").path("type").asText());
        for (JsonNode container : containers(pod)) {
            String where = doc + " container " + container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (!(context.path("runAsNonRoot").asBoolean(false)
                    || podContext.path("runAsNonRoot").asBoolean(false))) {
                problems.add(where + ": runAsNonRoot is not true");
            }
            int user =
                    context.path("runAsUser").asInt(podContext.path("runAsUser").asInt(-1));
            if (user != expectedUser) {
                problems.add(where + ": runAsUser is " + user + ", expected " + expectedUser + " (the images' USER)");
            }
            if (!context.path("readOnlyRootFilesystem").asBoolean(false)) {
                problems.add(where + ": readOnlyRootFilesystem is not true");
            }
            if (context.path("allowPrivilegeEscalation").asBoolean(true)) {
                problems.add(where + ": allowPrivilegeEscalation is not false");
            }
            boolean dropsAll =
                    elements(context.path("capabilities").path("drop")).anyMatch(c -> "ALL".equals(c.asText()));
            if (!dropsAll || context.path("capabilities").has("add")) {
                problems.add(where + ": capabilities must drop ALL and add none");
            }
            if (!seccompOnPod
                    && !"RuntimeDefault"
                            .equals(context.path("seccompProfile").path("type").asText())) {
                problems.add(where + ": no RuntimeDefault seccompProfile");
            }
            if (!mountsEmptyDirAtTmp(pod, container)) {
                problems.add(where + ": /tmp is not an emptyDir mount (the JVM and ONNX Runtime need a writable /tmp)");
            }
            JsonNode resources = container.path("resources");
            for (String required : List.of("requests/cpu", "requests/memory", "limits/memory")) {
                String[] path = required.split("/");
                if (resources.path(path[0]).path(path[1]).asText("").isEmpty()) {
                    problems.add(where + ": no resources." + path[0] + "." + path[1]);
                }
            }
        }
        return problems;
    }

    /** Every path a kustomization names (resources, components, patches, generator files) exists. */
    static List<String> kustomizationPaths(Document doc) {
        List<String> problems = new ArrayList<>();
        Path dir = doc.file().getParent();
        List<String> paths = new ArrayList<>();
        doc.node().path("resources").forEach(r -> paths.add(r.asText()));
        doc.node().path("components").forEach(r -> paths.add(r.asText()));
        doc.node().path("patches").forEach(p -> {
            if (p.has("path")) {
                paths.add(p.path("path").asText());
            }
        });
        doc.node().path("patchesStrategicMerge").forEach(p -> paths.add(p.asText()));
        for (String generator : List.of("secretGenerator", "configMapGenerator")) {
            doc.node().path(generator).forEach(g -> {
                g.path("files")
                        .forEach(f ->
                                paths.add(f.asText().contains("=") ? f.asText().split("=", 2)[1] : f.asText()));
                g.path("envs").forEach(f -> paths.add(f.asText()));
            });
        }
        for (String path : paths) {
            if (path.contains("://")) {
                problems.add(doc + ": remote resource " + path + " (keep the manifests self-contained)");
                continue;
            }
            Path target = dir.resolve(path).normalize();
            if (!Files.exists(target)) {
                problems.add(doc + ": " + path + " does not exist");
            } else if (Files.isDirectory(target) && !Files.exists(target.resolve("kustomization.yaml"))) {
                problems.add(doc + ": directory " + path + " has no kustomization.yaml");
            }
        }
        return problems;
    }

    /** A JVM Dockerfile's essentials: fast-jar layout, non-root numeric USER, EXPOSE of the app port, a health check. */
    static List<String> jvmDockerfile(String text, int appPort) {
        List<String> problems = dockerfileBasics(text, appPort);
        for (String part : List.of(
                "target/quarkus-app/lib/",
                "target/quarkus-app/*.jar",
                "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/")) {
            if (!Pattern.compile("(?m)^COPY\\s.*" + Pattern.quote(part))
                    .matcher(text)
                    .find()) {
                problems.add("no COPY of " + part + " (Quarkus fast-jar layout)");
            }
        }
        if (!Pattern.compile("(?m)^COPY\\s.*target/quarkus-app/app\\.aot")
                .matcher(text)
                .find()) {
            problems.add("no COPY of target/quarkus-app/app.aot (the trained JDK AOT cache)");
        }
        if (!text.contains("-XX:AOTCache=")) {
            problems.add("the JVM is not started with -XX:AOTCache");
        } else if (!text.contains("-XX:InitialRAMPercentage=") && !text.contains("-Xms")) {
            // Under a small limit the JVM picks SerialGC with 1/64 of it as the initial heap, too little for the
            // cache's
            // archived objects: it then refuses to start.
            problems.add("the JVM uses an AOT cache without an initial heap size (-XX:InitialRAMPercentage or -Xms)");
        }
        if (!Pattern.compile("(?m)^HEALTHCHECK\\s.*/q/health/ready")
                .matcher(text.replace("\\\n", " "))
                .find()) {
            problems.add("no HEALTHCHECK on /q/health/ready");
        }
        return problems;
    }

    /** A native Dockerfile's essentials: a Mandrel builder stage running the native build, then a non-root runtime. */
    static List<String> nativeDockerfile(String text, int appPort) {
        List<String> problems = dockerfileBasics(text, appPort);
        if (!Pattern.compile("(?m)^FROM\\s+quay\\.io/quarkus/ubi-quarkus-mandrel-builder-image:\\S+\\s+AS\\s+\\w+")
                .matcher(text)
                .find()) {
            problems.add("no Mandrel builder stage");
        }
        if (!Pattern.compile("(?m)^RUN\\s.*mvnw.*package.*-Dnative")
                .matcher(text)
                .find()) {
            problems.add("no ./mvnw package -Dnative in the builder stage");
        }
        if (!Pattern.compile("(?m)^COPY\\s+--from=\\w+.*-runner").matcher(text).find()) {
            problems.add("the runtime stage does not copy the native executable from the builder");
        }
        boolean healthCheck =
                Pattern.compile("(?m)^HEALTHCHECK\\s.*/q/health/").matcher(text).find();
        boolean documented = PROBES.values().stream().allMatch(text::contains);
        if (!healthCheck && !documented) {
            problems.add("neither a HEALTHCHECK nor the documented probe paths " + PROBES.values());
        }
        return problems;
    }

    /** The user the final stage runs as, if numeric. */
    static int finalUser(String text) {
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(lastStage(text));
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        return last != null && last.matches("\\d+(:\\d+)?") ? Integer.parseInt(last.split(":")[0]) : -1;
    }

    private static List<String> dockerfileBasics(String text, int appPort) {
        List<String> problems = new ArrayList<>();
        int user = finalUser(text);
        if (user <= 0) {
            problems.add("the final stage has no numeric non-root USER (Kubernetes' runAsNonRoot needs a numeric uid)");
        }
        if (!Pattern.compile("(?m)^EXPOSE\\s+" + appPort + "\\b")
                .matcher(lastStage(text))
                .find()) {
            problems.add("the final stage does not EXPOSE " + appPort);
        }
        if (!Pattern.compile("(?m)^(ENTRYPOINT|CMD)\\s")
                .matcher(lastStage(text))
                .find()) {
            problems.add("the final stage has no ENTRYPOINT or CMD");
        }
        return problems;
    }

    private static String lastStage(String text) {
        Matcher from = Pattern.compile("(?m)^FROM\\s").matcher(text);
        int start = 0;
        while (from.find()) {
            start = from.start();
        }
        return text.substring(start);
    }

    private static boolean mountsEmptyDirAtTmp(JsonNode pod, JsonNode container) {
        return elements(container.path("volumeMounts"))
                .filter(m -> "/tmp".equals(m.path("mountPath").asText()))
                .map(m -> m.path("name").asText())
                .anyMatch(volume -> elements(pod.path("volumes"))
                        .anyMatch(v -> volume.equals(v.path("name").asText()) && v.has("emptyDir")));
    }
}
