package dev.lectern.studymaterial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lectern.platform.Problem;
import dev.lectern.platform.ProblemException;
import dev.lectern.platform.Words;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a generated body against its content type and measures it. Flashcards are front/back pairs; a quiz has
 * questions with at least two options and an answer that is one of them (by text or index); every other type is
 * Markdown. Reading time assumes 200 words per minute.
 */
final class StudyMaterialBodies {

    record Measured(int words, int readingMinutes, List<String[]> cards) {}

    private StudyMaterialBodies() {}

    static Measured measure(String type, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<String[]> cards = new ArrayList<>();
        switch (type) {
            case "flashcards" -> {
                JsonNode list = body.path("cards");
                if (!list.isArray() || list.isEmpty()) {
                    errors.add(new Problem.FieldError("body.cards", "must be a non-empty array of {front, back}"));
                }
                for (int i = 0; list.isArray() && i < list.size(); i++) {
                    String front = text(list.get(i), "front");
                    String back = text(list.get(i), "back");
                    if (front == null || back == null) {
                        errors.add(new Problem.FieldError("body.cards[" + i + "]", "needs a non-blank front and back"));
                    } else {
                        cards.add(new String[] {front, back});
                        text.append(front).append(' ').append(back).append(' ');
                    }
                }
            }
            case "quiz" -> {
                JsonNode questions = body.path("questions");
                if (!questions.isArray() || questions.isEmpty()) {
                    errors.add(new Problem.FieldError(
                            "body.questions", "must be a non-empty array of {question, options, answer}"));
                }
                for (int i = 0; questions.isArray() && i < questions.size(); i++) {
                    JsonNode q = questions.get(i);
                    String question = text(q, "question");
                    JsonNode options = q.path("options");
                    List<String> values = new ArrayList<>();
                    options.forEach(o -> values.add(o.isTextual() ? o.asText().trim() : ""));
                    JsonNode answer = q.path("answer");
                    boolean answerOk = answer.isInt()
                            ? answer.asInt() >= 0 && answer.asInt() < values.size()
                            : answer.isTextual()
                                    && values.contains(answer.asText().trim());
                    if (question == null || values.size() < 2 || values.contains("") || !answerOk) {
                        errors.add(
                                new Problem.FieldError(
                                        "body.questions[" + i + "]",
                                        "needs a question, at least two non-blank options and an answer that is one of them (text or index)"));
                    } else {
                        text.append(question)
                                .append(' ')
                                .append(String.join(" ", values))
                                .append(' ');
                    }
                }
            }
            default -> {
                String markdown = text(body, "markdown");
                if (markdown == null) {
                    errors.add(new Problem.FieldError("body.markdown", "must be non-blank Markdown text"));
                } else {
                    text.append(markdown);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        int words = Words.count(text);
        int minutes = Words.readingMinutes(words);
        return new Measured(words, minutes, cards);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.path(field);
        return value != null && value.isTextual() && !value.asText().isBlank()
                ? value.asText().trim()
                : null;
    }
}
