package dev.lectern.catalogue;

/**
 * OpenAPI examples for the catalogue endpoints, kept in one place: the sample book's content, as the service answers it.
 * {@code OpenApiContractTest} checks each against the schema of the body it illustrates.
 */
public final class CatalogueExamples {

    public static final String CHAPTER_MARKDOWN = """
            ---
            title: Nodes and Topics
            sidebar_position: 2
            difficulty: beginner
            summary: How ROS 2 nodes exchange messages over topics.
            outcomes:
              - ROS.COMM.1
            ---
            A ROS 2 system is a graph of nodes.

            ## Publishers

            A publisher sends messages on a topic.

            ## Subscribers

            A subscriber receives them.
            """;

    /** A zip cannot be shown inline: the example says what goes into one. */
    public static final String DOCS_ZIP_SUMMARY = "A zipped Docusaurus docs folder";

    public static final String DOCS_ZIP_DESCRIPTION =
            "docs/intro.md, docs/basics/_category_.json, docs/basics/01-nodes.mdx … and, optionally, sidebars.js "
                    + "beside the docs folder; made with `jar cfM docs.zip docs sidebars.js` or `zip -r`.";

    public static final String FRAMEWORK = """
            {"code": "ros", "name": "ROS 2 Skills", "country": "US", "structure": {"levels": ["foundation", "practitioner"]}, "isDefault": true}
            """;

    public static final String SUBJECT = """
            {"code": "comm", "name": "Communication", "config": {"colour": "#2563eb"}}
            """;

    public static final String OUTCOME = """
            {"code": "ROS.COMM.1", "subject": "comm", "description": "Explain how nodes exchange messages over topics", "stage": "foundation"}
            """;

    public static final String CREATE_BOOK = """
            {
              "slug": "ros2-fundamentals",
              "title": "Robot Software Fundamentals with ROS 2",
              "description": "An introductory textbook that teaches Python programmers how to build robot software with ROS 2.",
              "language": "en",
              "published": false
            }
            """;

    public static final String UPDATE_BOOK = """
            {"published": true}
            """;

    public static final String BOOK = """
            {
              "id": "01a25182-68e8-794e-b8d8-935f8698f719",
              "slug": "ros2-fundamentals",
              "title": "Robot Software Fundamentals with ROS 2",
              "description": "An introductory textbook that teaches Python programmers how to build robot software with ROS 2.",
              "language": "en",
              "published": true,
              "version": 1,
              "createdAt": "2026-03-02T09:15:10.760397Z",
              "updatedAt": "2026-03-02T09:20:31.104211Z"
            }
            """;

    public static final String CHAPTER = """
            {
              "id": "01a25182-6d68-7fa0-a524-432dd9d85008",
              "book": "ros2-fundamentals",
              "slug": "nodes-and-topics",
              "number": 2,
              "title": "Nodes and Topics",
              "summary": "How ROS 2 nodes exchange messages over topics.",
              "difficulty": "beginner",
              "estimatedReadingMinutes": 1,
              "author": null,
              "published": true,
              "publishedAt": "2026-03-02T09:15:11.912232Z",
              "outcomes": ["ROS.COMM.1"],
              "contentHash": "3ed026e64553abc7a674d0985629c9577f28deeeacc9dd4ec8980f5be60c3fe8",
              "sourcePath": null,
              "version": 0,
              "createdAt": "2026-03-02T09:15:11.912232Z",
              "updatedAt": "2026-03-02T09:15:11.912232Z",
              "sections": [
                {"number": 1, "title": "Introduction", "anchor": "introduction", "body": "A ROS 2 system is a graph of nodes."},
                {"number": 2, "title": "Publishers", "anchor": "publishers", "body": "A publisher sends messages on a topic."},
                {"number": 3, "title": "Subscribers", "anchor": "subscribers", "body": "A subscriber receives them."}
              ]
            }
            """;

    public static final String TRANSLATION = """
            {
              "title": "نوڈز اور ٹاپکس",
              "body": "ROS 2 کا نظام نوڈز کا ایک گراف ہے۔\\n\\n## پبلشرز\\n\\nپبلشر کسی ٹاپک پر پیغام بھیجتا ہے۔",
              "textDirection": "rtl",
              "sourceContentHash": "3ed026e64553abc7a674d0985629c9577f28deeeacc9dd4ec8980f5be60c3fe8",
              "ttlSeconds": 2592000,
              "model": "gpt-4o-mini"
            }
            """;

    public static final String PERSONALIZED = """
            {
              "body": "## Nodes, for a web developer\\n\\nThink of a node as a small service with one job; topics are its message queues.",
              "sourceContentHash": "3ed026e64553abc7a674d0985629c9577f28deeeacc9dd4ec8980f5be60c3fe8",
              "ttlSeconds": 604800,
              "model": "gpt-4o-mini"
            }
            """;

    private CatalogueExamples() {}
}
