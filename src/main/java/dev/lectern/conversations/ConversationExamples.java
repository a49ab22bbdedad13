package dev.lectern.conversations;

/**
 * OpenAPI examples for conversations and their messages, kept in one place. {@code OpenApiContractTest} checks each
 * against the schema of the body it illustrates.
 */
public final class ConversationExamples {

    public static final String CREATE_CONVERSATION = """
            {"title": "QoS mismatches", "book": "ros2-fundamentals"}
            """;

    public static final String RENAME_CONVERSATION = """
            {"title": "Why my subscriber hears nothing"}
            """;

    public static final String APPEND_MESSAGE = """
            {
              "clientMessageId": "m-0002",
              "role": "assistant",
              "content": "A BEST_EFFORT publisher cannot serve a RELIABLE subscriber [1].",
              "selectedText": "Reliability: RELIABLE retransmits lost messages until they arrive",
              "sources": [
                {
                  "book": "ros2-fundamentals",
                  "chapter": "nodes-and-topics",
                  "sectionNumber": 6,
                  "sectionTitle": "Quality of Service",
                  "anchor": "qos",
                  "score": 0.83
                }
              ],
              "promptTokens": 812,
              "completionTokens": 64,
              "model": "gpt-4o-mini",
              "latencyMs": 1240
            }
            """;

    public static final String MESSAGE = """
            {
              "id": "01a25183-22a4-78f8-a215-78e2535017cc",
              "clientMessageId": "m-0002",
              "role": "assistant",
              "content": "A BEST_EFFORT publisher cannot serve a RELIABLE subscriber [1].",
              "selectedText": "Reliability: RELIABLE retransmits lost messages until they arrive",
              "sources": [
                {
                  "chunkId": null,
                  "book": "ros2-fundamentals",
                  "chapter": "nodes-and-topics",
                  "chapterId": null,
                  "sectionNumber": 6,
                  "sectionTitle": "Quality of Service",
                  "anchor": "qos",
                  "score": 0.83,
                  "text": null
                }
              ],
              "promptTokens": 812,
              "completionTokens": 64,
              "model": "gpt-4o-mini",
              "latencyMs": 1240,
              "createdAt": "2026-03-02T09:17:58.312599Z"
            }
            """;

    private ConversationExamples() {}
}
