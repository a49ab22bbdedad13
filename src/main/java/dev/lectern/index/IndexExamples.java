package dev.lectern.index;

/**
 * OpenAPI examples for search and context packs, kept in one place: questions about the sample book and what the
 * service answers them. {@code OpenApiContractTest} checks each against the schema of the body it illustrates.
 */
public final class IndexExamples {

    public static final String SEARCH_REQUEST = """
            {
              "query": "How do I call a service from the command line?",
              "limit": 3,
              "mode": "hybrid",
              "filters": {"book": "ros2-fundamentals", "difficulty": ["beginner"]}
            }
            """;

    public static final String SEARCH_RESPONSE = """
            {
              "query": "How do I call a service from the command line?",
              "mode": "hybrid",
              "hits": [
                {
                  "chunkId": "40c6e467-c611-3dbd-8c39-b644c01061c6",
                  "score": 0.984,
                  "text": "The `ros2 service` verb mirrors the topic tools. `ros2 service list` prints the available services ...",
                  "headingPath": ["Services and Actions", "Calling Services from the Command Line"],
                  "book": "ros2-fundamentals",
                  "bookTitle": "Robot Software Fundamentals with ROS 2",
                  "chapter": "services-and-actions",
                  "chapterId": "01a25182-6da7-75e5-b640-1314daaf624f",
                  "chapterTitle": "Services and Actions",
                  "sectionNumber": 4,
                  "sectionTitle": "Calling Services from the Command Line",
                  "anchor": "calling-services-from-the-command-line"
                }
              ]
            }
            """;

    public static final String CONTEXT_REQUEST = """
            {"query": "What is a TF frame?", "tokenBudget": 800, "filters": {"book": "ros2-fundamentals"}}
            """;

    public static final String CONTEXT_PACK = """
            {
              "query": "What is a TF frame?",
              "tokenBudget": 800,
              "tokensUsed": 243,
              "context": "[1] Robot Software Fundamentals with ROS 2 — Coordinate Frames and tf2 › Debugging the Transform Tree\\nMost frame problems are a missing publisher, a misspelt frame name or a timing gap. ...",
              "sources": [
                {
                  "number": 1,
                  "book": "ros2-fundamentals",
                  "bookTitle": "Robot Software Fundamentals with ROS 2",
                  "chapter": "coordinate-frames",
                  "chapterId": "01a25182-6de1-753a-b076-34e396e58a24",
                  "chapterTitle": "Coordinate Frames and tf2",
                  "sectionNumber": 6,
                  "sectionTitle": "Debugging the Transform Tree",
                  "anchor": "debugging-the-transform-tree",
                  "score": 0.857
                }
              ],
              "passages": [
                {
                  "source": 1,
                  "chunkId": "9cdc6106-d744-33d3-87df-ba3c6c027db9",
                  "headingPath": ["Coordinate Frames and tf2", "Debugging the Transform Tree"],
                  "text": "Most frame problems are a missing publisher, a misspelt frame name or a timing gap. ...",
                  "tokens": 218,
                  "score": 0.857
                }
              ]
            }
            """;

    private IndexExamples() {}
}
