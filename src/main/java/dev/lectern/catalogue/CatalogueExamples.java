package dev.lectern.catalogue;

/** OpenAPI examples for the catalogue endpoints, kept in one place. */
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

    public static final String FRAMEWORK = """
            {"code": "ros", "name": "ROS 2 Skills", "country": "US", "structure": {"levels": ["foundation", "practitioner"]}, "isDefault": true}
            """;

    private CatalogueExamples() {}
}
