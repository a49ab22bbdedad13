package dev.lectern.xapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The actor an operator chose, and the statement checks of the stub LRS applied to rendered statements. */
class XapiStatementsTest {

    private static final UUID USER = UUID.randomUUID();

    private static XapiStatements.Facts facts(String subject, String email, String verb, Double progress) {
        return new XapiStatements.Facts(
                UUID.fromString("019b0a6e-8c3a-7d2e-9f41-3b6a2c1d4e5f"),
                USER,
                subject,
                email,
                verb,
                "chapter",
                "/books/b/chapters/c",
                "C",
                progress,
                null,
                null,
                null,
                null,
                Instant.parse("2026-12-08T09:15:01.204816Z"));
    }

    @Test
    void theActorIsThePlatformsAccountByDefaultNamedByTheExternalSubjectOrTheUserId() {
        XapiStatements account = new XapiStatements(StubLrs.BASE, StubLrs.HOME_PAGE, XapiConfig.Actor.account);
        ObjectNode withSubject = account.render(facts("sso|42", "a@example.org", "experienced", null));
        assertThat(withSubject.path("actor").path("account").path("name").asText())
                .isEqualTo("sso|42");
        assertThat(withSubject.path("actor").has("mbox")).isFalse();
        assertThat(StubLrs.check(withSubject)).isEmpty();
        ObjectNode withoutSubject = account.render(facts(null, null, "progressed", 99.7));
        assertThat(withoutSubject.path("actor").path("account").path("name").asText())
                .isEqualTo(USER.toString());
        assertThat(withoutSubject
                        .at("/result/extensions/https:~1~1w3id.org~1xapi~1cmi5~1result~1extensions~1progress")
                        .asInt())
                .as("99.7% read is not yet 100")
                .isEqualTo(99);
        assertThat(StubLrs.check(withoutSubject)).isEmpty();
    }

    @Test
    void mboxIsUsedOnlyWhenConfiguredAndTheUserHasAnEmail() {
        XapiStatements mbox = new XapiStatements(StubLrs.BASE, StubLrs.HOME_PAGE, XapiConfig.Actor.mbox);
        assertThat(mbox.render(facts("sso|42", "a@example.org", "experienced", null))
                        .path("actor")
                        .path("mbox")
                        .asText())
                .isEqualTo("mailto:a@example.org");
        ObjectNode noEmail = mbox.render(facts("sso|42", null, "experienced", null));
        assertThat(noEmail.path("actor").path("account").path("name").asText()).isEqualTo("sso|42");
    }

    @Test
    void activityNamesAreCutToTwoHundredCharactersWithoutSplittingACharacter() {
        assertThat(XapiOutbox.name("  spaced   out  ", "x")).isEqualTo("spaced out");
        assertThat(XapiOutbox.name(null, "Review item")).isEqualTo("Review item");
        String name = XapiOutbox.name("😀".repeat(300), "x");
        assertThat(name.codePointCount(0, name.length())).isEqualTo(200);
    }

    @Test
    void settingsThatAreNotAbsoluteHttpUrlsAreRefused() {
        XapiWorker.requireUrl("LECTERN_XAPI_ACTIVITY_BASE", "https://lectern.example.com");
        XapiWorker.requireUrl("LECTERN_XAPI_ENDPOINT", "http://127.0.0.1:8081/xapi/");
        for (String bad : List.of("lectern.example.com", "urn:lectern", "ftp://x.example", "https://", "http://a b")) {
            assertThatThrownBy(() -> XapiWorker.requireUrl("LECTERN_XAPI_ACTIVITY_BASE", bad))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("LECTERN_XAPI_ACTIVITY_BASE");
        }
    }
}
