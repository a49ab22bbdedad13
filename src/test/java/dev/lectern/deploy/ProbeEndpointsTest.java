package dev.lectern.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every probe path in the Kubernetes manifests is a health endpoint the running application answers UP. */
@QuarkusTest
class ProbeEndpointsTest {

    @Test
    void everyProbePathInTheManifestsAnswersUp() {
        Set<String> paths = new TreeSet<>();
        for (Manifests.Document doc : Manifests.kubernetes()) {
            if (Manifests.runsLectern(doc)) {
                for (JsonNode container : Manifests.containers(Manifests.podSpec(doc))) {
                    DeploymentChecks.PROBES.keySet().forEach(probe -> {
                        JsonNode path = container.path(probe).path("httpGet").path("path");
                        if (!path.isMissingNode()) {
                            paths.add(path.asText());
                        }
                    });
                }
            }
        }
        assertThat(paths).containsExactlyInAnyOrderElementsOf(DeploymentChecks.PROBES.values());
        for (String path : paths) {
            given().when().get(path).then().statusCode(200).body("status", equalTo("UP"));
        }
    }
}
