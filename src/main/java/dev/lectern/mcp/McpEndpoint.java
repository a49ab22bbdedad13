package dev.lectern.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lectern as a Model Context Protocol server at {@code /mcp}: the catalogue, search and context packs, and a learner's
 * progress as tools, chapters as resources, for AI assistants and agent frameworks. Built on the official MCP Java
 * SDK; {@link McpHttpTransport} is the Streamable HTTP glue.
 */
@ApplicationScoped
class McpEndpoint {

    private static final String INSTRUCTIONS = """
            Lectern serves textbooks and a learner's progress. To answer a question from the books, call \
            get_context_pack (or search_passages) and cite the numbered sources; read_section and read_chapter give the \
            full text. list_books and list_chapters show what there is. The learner tools (get_due_reviews, \
            record_review, get_reading_progress, get_mastery) work when the connection acts for a learner.""";

    private final McpConfig config;
    private final McpHttpTransport transport;
    private final McpAsyncServer server;

    McpEndpoint(
            McpConfig config,
            Vertx vertx,
            CatalogueTools catalogue,
            SearchTools search,
            LearnerTools learner,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.config = config;
        McpJsonMapper mapper = mapper();
        this.transport = new McpHttpTransport(mapper, config, vertx);
        List<AsyncToolSpecification> tools = new ArrayList<>();
        tools.addAll(search.tools(mapper));
        tools.addAll(catalogue.tools(mapper));
        tools.addAll(learner.tools(mapper));
        this.server = McpServer.async(transport)
                .serverInfo(new McpSchema.Implementation("lectern", "Lectern", version))
                .instructions(INSTRUCTIONS)
                .jsonMapper(mapper)
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .resources(false, false)
                        .build())
                .requestTimeout(config.requestTimeout().plusSeconds(5))
                .tools(tools)
                .resourceTemplates(catalogue.chapterResource())
                .build();
        transport.startSweeping();
    }

    /**
     * The SDK's own mapper for the protocol: the service's is strict about unknown fields, and MCP messages grow.
     * Polymorphic types resolve through this class's loader, not the calling thread's: Reactor's threads may carry
     * another (in tests, the JDK's, which holds a second copy of the SDK's classes).
     */
    static McpJsonMapper mapper() {
        ObjectMapper json = new ObjectMapper()
                .findAndRegisterModules()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        json.setTypeFactory(json.getTypeFactory().withClassLoader(McpEndpoint.class.getClassLoader()));
        return new JacksonMcpJsonMapper(json);
    }

    void route(@Observes Router router) {
        if (config.enabled()) {
            router.route(McpHttpTransport.PATH).handler(transport::handle);
        }
    }

    int sessions() {
        return transport.sessionCount();
    }

    void stop(@Observes ShutdownEvent event) {
        server.closeGracefully()
                .onErrorResume(e -> reactor.core.publisher.Mono.empty())
                .block(java.time.Duration.ofSeconds(5));
    }
}
