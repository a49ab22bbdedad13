package dev.lectern.mcp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code lectern.mcp.*}: the Model Context Protocol endpoint and the bounds on its sessions. */
@ConfigMapping(prefix = "lectern.mcp")
public interface McpConfig {

    /** Whether {@code /mcp} is served ({@code LECTERN_MCP_ENABLED}). */
    @WithDefault("true")
    boolean enabled();

    /** Sessions held at once over all callers; an initialize past it gets 503 ({@code LECTERN_MCP_MAX_SESSIONS}). */
    @WithDefault("1000")
    int maxSessions();

    /**
     * Sessions one caller (one user, or one service acting for one user) may hold; a new one past it ends that
     * caller's least recently used session ({@code LECTERN_MCP_MAX_SESSIONS_PER_CALLER}).
     */
    @WithDefault("16")
    int maxSessionsPerCaller();

    /** A session unused this long is ended; the client must initialize again ({@code LECTERN_MCP_IDLE_TIMEOUT}). */
    @WithDefault("30m")
    Duration idleTimeout();

    /** Largest JSON-RPC message accepted, in bytes ({@code LECTERN_MCP_MAX_MESSAGE_BYTES}). */
    @WithDefault("1048576")
    int maxMessageBytes();

    /** Longest a tool call may run before it fails with a timeout error. */
    @WithDefault("60s")
    Duration requestTimeout();
}
