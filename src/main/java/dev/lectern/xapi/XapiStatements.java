package dev.lectern.xapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Renders xAPI 1.0.3 statements from the facts the outbox keeps. The vocabulary: ADL's verbs, cmi5's progress extension
 * (an integer 0..100), an Agent identified by the platform's account (or, opted in, by e-mail), activities whose ids are
 * IRIs under the configured base.
 */
final class XapiStatements {

    static final String VERBS = "http://adlnet.gov/expapi/verbs/";
    static final String PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress";
    static final String CHAPTER_TYPE = "http://id.tincanapi.com/activitytype/chapter";
    static final String INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction";
    static final String SESSION_TYPE = "http://adlnet.gov/expapi/activities/attempt";
    private static final String LANGUAGE = "en-US";

    /** The facts of one statement, as queued, with what the actor is rendered from. */
    record Facts(
            UUID id,
            UUID userId,
            String externalSubject,
            String email,
            String verb,
            String objectType,
            String objectPath,
            String objectName,
            Double progress,
            Boolean success,
            Double score,
            String response,
            Integer durationSeconds,
            Instant occurredAt) {}

    private static final Map<String, Integer> RATINGS = Map.of("again", 1, "hard", 2, "good", 3, "easy", 4);

    private final String activityBase;
    private final String homePage;
    private final XapiConfig.Actor actor;

    XapiStatements(String activityBase, String homePage, XapiConfig.Actor actor) {
        this.activityBase = trimSlash(activityBase);
        this.homePage = homePage;
        this.actor = actor;
    }

    static XapiStatements of(XapiConfig config) {
        return new XapiStatements(
                config.activityBase(), config.accountHomePage().orElse(config.activityBase()), config.actor());
    }

    /** The scaled score of a review rating: again 0, hard 1/3, good 2/3, easy 1 (raw 1..4 as the FSRS grades). */
    static double scaledScore(String rating) {
        return (RATINGS.get(rating) - 1) / 3.0;
    }

    ObjectNode render(Facts f) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode statement = json.objectNode();
        statement.put("id", f.id().toString());
        statement.set("actor", actor(f));
        ObjectNode verb = statement.putObject("verb");
        verb.put("id", VERBS + f.verb());
        verb.putObject("display").put(LANGUAGE, f.verb());
        statement.set("object", activity(f));
        ObjectNode result = result(f);
        if (!result.isEmpty()) {
            statement.set("result", result);
        }
        ObjectNode context = statement.putObject("context");
        context.put("platform", "Lectern");
        if (f.objectType().equals("chapter")) {
            // The chapter's book as the parent activity: /books/{book} of /books/{book}/chapters/{chapter}.
            String book = f.objectPath().substring(0, f.objectPath().indexOf("/chapters/"));
            ObjectNode parent =
                    context.putObject("contextActivities").putArray("parent").addObject();
            parent.put("objectType", "Activity");
            parent.put("id", activityBase + book);
        }
        statement.put("timestamp", f.occurredAt().toString());
        return statement;
    }

    private ObjectNode actor(Facts f) {
        ObjectNode agent = JsonNodeFactory.instance.objectNode();
        agent.put("objectType", "Agent");
        if (actor == XapiConfig.Actor.mbox && f.email() != null) {
            agent.put("mbox", "mailto:" + f.email());
            return agent;
        }
        ObjectNode account = agent.putObject("account");
        account.put("homePage", homePage);
        account.put(
                "name",
                f.externalSubject() != null ? f.externalSubject() : f.userId().toString());
        return agent;
    }

    private ObjectNode activity(Facts f) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("objectType", "Activity");
        object.put("id", activityBase + f.objectPath());
        ObjectNode definition = object.putObject("definition");
        definition.putObject("name").put(LANGUAGE, f.objectName());
        switch (f.objectType()) {
            case "chapter" -> definition.put("type", CHAPTER_TYPE);
            case "review-item" -> {
                definition.put("type", INTERACTION_TYPE);
                definition.put("interactionType", "other");
            }
            default -> definition.put("type", SESSION_TYPE);
        }
        return object;
    }

    private static ObjectNode result(Facts f) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        switch (f.verb()) {
            case "progressed" -> result.putObject("extensions").put(PROGRESS_EXTENSION, percent(f.progress()));
            case "completed" -> {
                result.put("completion", true);
                result.putObject("extensions").put(PROGRESS_EXTENSION, 100);
            }
            case "answered" -> {
                result.put("success", Boolean.TRUE.equals(f.success()));
                ObjectNode score = result.putObject("score");
                score.put("scaled", Math.round(f.score() * 10000) / 10000.0);
                score.put("raw", RATINGS.get(f.response()));
                score.put("min", 1);
                score.put("max", 4);
                result.put("response", f.response());
            }
            default -> {}
        }
        if (f.durationSeconds() != null) {
            result.put("duration", "PT" + f.durationSeconds() + "S");
        }
        return result;
    }

    /** cmi5's progress is an integer 0..100; a chapter read to 99.6% has not reached 100. */
    private static int percent(Double progress) {
        return progress == null ? 0 : (int) Math.min(99, Math.floor(progress));
    }

    private static String trimSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
