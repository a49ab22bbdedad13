package dev.lectern.identity;

/**
 * OpenAPI examples for users, the caller's profile and API keys, kept in one place. {@code OpenApiContractTest} checks
 * each against the schema of the body it illustrates.
 */
public final class IdentityExamples {

    public static final String CREATE_USER = """
            {"displayName": "Amina", "email": "amina@example.org", "roles": ["learner"]}
            """;

    public static final String CREATE_API_KEY = """
            {"name": "laptop", "roles": ["learner"], "expiresAt": "2030-01-01T00:00:00Z"}
            """;

    public static final String CREATED_API_KEY = """
            {
              "id": "01a25183-2029-7ec9-b7c3-4e26d1b23369",
              "name": "laptop",
              "prefix": "kak1ffzhodeb",
              "roles": ["learner"],
              "createdAt": "2026-03-02T09:17:57.655544Z",
              "expiresAt": "2030-01-01T00:00:00Z",
              "key": "lk_kak1ffzhodeb_jIt0ItQzIj5dp2e4fdUj2RySbl7lGYg-4GyeMEqqpMg"
            }
            """;

    public static final String UPDATE_ME = """
            {
              "displayName": "Amina K.",
              "profile": {
                "experienceLevel": "beginner",
                "softwareBackground": "Python scripts for data analysis",
                "preferredTopics": ["ros2", "navigation"],
                "learningGoals": "Write my first ROS 2 node",
                "preferredLanguage": "ur"
              }
            }
            """;

    public static final String ME = """
            {
              "id": "01a25183-1f6c-7068-9613-8cbd24719b0b",
              "displayName": "Amina K.",
              "email": "amina@example.org",
              "roles": ["learner"],
              "externalSubject": null,
              "createdAt": "2026-03-02T09:17:57.484249Z",
              "updatedAt": "2026-03-02T09:17:57.807131Z",
              "profile": {
                "experienceLevel": "beginner",
                "softwareBackground": "Python scripts for data analysis",
                "hardwareBackground": null,
                "preferredTopics": ["ros2", "navigation"],
                "learningGoals": "Write my first ROS 2 node",
                "preferredLanguage": "ur"
              }
            }
            """;

    private IdentityExamples() {}
}
