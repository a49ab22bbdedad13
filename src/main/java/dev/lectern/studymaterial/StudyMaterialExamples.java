package dev.lectern.studymaterial;

/**
 * OpenAPI examples for generated study material, kept in one place. {@code OpenApiContractTest} checks each against
 * the schema of the body it illustrates.
 */
public final class StudyMaterialExamples {

    public static final String CREATE_FLASHCARDS = """
            {
              "topic": "Inspecting topics",
              "contentType": "flashcards",
              "audienceLevel": "university",
              "body": {
                "cards": [
                  {"front": "Which command lists the active topics?", "back": "ros2 topic list"},
                  {"front": "Which command measures a topic's publishing rate?", "back": "ros2 topic hz <topic>"}
                ]
              },
              "qualityScore": 0.86,
              "educationalStandards": [{"framework": "ros", "code": "ROS.COMM.1"}],
              "tags": ["ros2", "cli"],
              "sourcePrompts": {"system": "You write flashcards.", "user": "Five cards on inspecting topics"},
              "model": "gpt-4o-mini",
              "generationMs": 2300,
              "chapterIds": ["01a25182-6d68-7fa0-a524-432dd9d85008"],
              "outcomes": ["ROS.COMM.1"]
            }
            """;

    private StudyMaterialExamples() {}
}
