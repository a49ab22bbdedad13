package dev.lectern.progress;

/**
 * OpenAPI examples for reading progress, reviews, tasks and sessions, kept in one place. {@code OpenApiContractTest}
 * checks each against the schema of the body it illustrates.
 */
public final class ProgressExamples {

    public static final String UPDATE_PROGRESS = """
            {
              "percent": 40,
              "position": {"sectionNumber": 2, "offset": 300},
              "timeSpentSeconds": 120,
              "eventId": "0b9d7c1e-5f3a-4c2e-8a71-3d2f6e9b4c10"
            }
            """;

    public static final String CHAPTER_PROGRESS = """
            {
              "chapterId": "01a25182-6d68-7fa0-a524-432dd9d85008",
              "percent": 40.0,
              "position": {"sectionNumber": 2, "offset": 300},
              "timeSpentSeconds": 120,
              "completed": false,
              "completedAt": null,
              "updatedAt": "2026-03-02T09:17:57.948838Z"
            }
            """;

    public static final String CREATE_REVIEW_ITEM = """
            {
              "outcome": "ROS.COMM.1",
              "chapterId": "01a25182-6d68-7fa0-a524-432dd9d85008",
              "sectionNumber": 5,
              "front": "Which command prints the messages arriving on a topic?",
              "back": "ros2 topic echo <topic>"
            }
            """;

    public static final String REVIEW = """
            {"rating": "good", "reviewedAt": "2026-03-02T09:17:58Z"}
            """;

    public static final String REVIEW_ITEM = """
            {
              "id": "01a25183-2165-70e3-a941-5a8db9653cae",
              "outcomeId": "01a25182-6887-7b44-85f2-050b2adceac0",
              "chapterId": "01a25182-6d68-7fa0-a524-432dd9d85008",
              "sectionNumber": 5,
              "front": "Which command prints the messages arriving on a topic?",
              "back": "ros2 topic echo <topic>",
              "state": "learning",
              "step": 1,
              "stability": 3.2602,
              "difficulty": 4.8846,
              "due": "2026-03-02T09:27:58Z",
              "lastReview": "2026-03-02T09:17:58Z",
              "reps": 1,
              "lapses": 0,
              "retrievability": 1.0,
              "createdAt": "2026-03-02T09:17:57.988803Z",
              "updatedAt": "2026-03-02T09:17:58.117586Z"
            }
            """;

    public static final String REVIEW_SETTINGS = """
            {"desiredRetention": 0.9, "maximumIntervalDays": 365}
            """;

    /** The retrained FSRS-6 defaults of later py-fsrs releases, as a platform might choose them. */
    public static final String REVIEW_DEFAULTS = """
            {"weights": [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
                         1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]}
            """;

    public static final String CREATE_TASK = """
            {
              "title": "Re-read the QoS section",
              "description": "My subscriber hears nothing from the lidar driver",
              "priority": "high",
              "category": "reading",
              "tags": ["ros2", "qos"],
              "dueDate": "2030-01-15",
              "dueTime": "18:00:00",
              "chapterId": "01a25182-6d68-7fa0-a524-432dd9d85008"
            }
            """;

    public static final String UPDATE_TASK = """
            {"completed": true}
            """;

    public static final String START_SESSION = """
            {"chapterId": "01a25182-6d68-7fa0-a524-432dd9d85008"}
            """;

    public static final String HEARTBEAT = """
            {"itemsReviewed": 3, "contentGenerated": 1}
            """;

    private ProgressExamples() {}
}
