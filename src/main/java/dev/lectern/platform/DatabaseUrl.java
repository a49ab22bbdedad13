package dev.lectern.platform;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code postgres://user:pass@host:port/db?sslmode=require} URL as handed out by Neon, Railway and Heroku,
 * turned into the settings of the reactive (Vert.x) and the JDBC (Flyway) datasources.
 *
 * <p>User and password are percent-decoded without treating '+' as a space (it is a literal in the
 * userinfo of a URL, unlike in form encoding). Query parameters other than the ones the reactive client
 * needs are passed on to JDBC unchanged, so libpq-style options such as Neon's {@code options=endpoint%3D...}
 * reach both drivers.
 *
 * <p>A URL that points at a transaction-mode pooler (PgBouncer, Neon's {@code -pooler} endpoints, Supabase's
 * {@code pooler} hosts, or any URL with {@code pgbouncer=true}, the parameter Prisma made common) gets reactive-client
 * settings that work there; see {@link #behindTransactionPooler()}.
 */
public record DatabaseUrl(
        String host,
        int port,
        String database,
        String user,
        String password,
        Optional<String> sslMode,
        Map<String, String> parameters) {

    public static final int DEFAULT_PORT = 5432;
    /** Query parameter that says whether the URL is a transaction-mode pooler ({@code true}/{@code false}). */
    public static final String PGBOUNCER = "pgbouncer";

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL is empty");
        }
        String rest = url.trim();
        int schemeEnd = rest.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException(
                    "database URL must look like postgres://user:password@host:port/database");
        }
        String scheme = rest.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            throw new IllegalArgumentException(
                    "database URL scheme must be postgres:// or postgresql://, not " + scheme + "://");
        }
        rest = rest.substring(schemeEnd + 3);

        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 ? decode(rest.substring(slash + 1)) : "";

        String user = "";
        String password = "";
        // The last '@' separates userinfo from host: unencoded '@' in passwords is common in the wild.
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : "";
        }

        String host;
        int port = DEFAULT_PORT;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("database URL has an unterminated IPv6 host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                port = parsePort(after.substring(1));
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            if (colon >= 0) {
                port = parsePort(authority.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("database URL has no host");
        }
        if (database.isEmpty()) {
            throw new IllegalArgumentException("database URL has no database name");
        }

        Map<String, String> parameters = new LinkedHashMap<>();
        Optional<String> sslMode = Optional.empty();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            if (key.equals("sslmode")) {
                sslMode = Optional.of(value.toLowerCase(Locale.ROOT));
            } else if (key.equals(PGBOUNCER)) {
                // Ours, not libpq's: kept out of the JDBC URL, read by behindTransactionPooler().
                parameters.put(key, value.toLowerCase(Locale.ROOT));
            } else {
                parameters.put(key, value);
            }
        }
        sslMode.ifPresent(DatabaseUrl::checkSslMode);
        return new DatabaseUrl(
                host, port, database, user, password, sslMode, java.util.Collections.unmodifiableMap(parameters));
    }

    /** The Vert.x reactive client URL (credentials and options are configured separately). */
    public String reactiveUrl() {
        return "postgresql://" + hostPort() + "/" + encodePath(database);
    }

    /** The pgjdbc URL, keeping every query parameter (sslmode included) for libpq compatibility. */
    public String jdbcUrl() {
        StringBuilder sb = new StringBuilder("jdbc:postgresql://")
                .append(hostPort())
                .append('/')
                .append(encodePath(database));
        char sep = '?';
        if (sslMode.isPresent()) {
            sb.append(sep).append("sslmode=").append(encodeQuery(sslMode.get()));
            sep = '&';
        }
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            if (p.getKey().equals(PGBOUNCER)) {
                continue;
            }
            sb.append(sep).append(encodeQuery(p.getKey())).append('=').append(encodeQuery(p.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    /**
     * Whether the URL points at a transaction-mode pooler: {@code pgbouncer=true|false} in the query decides; without it,
     * a host with a DNS label {@code pooler} or ending in {@code -pooler} (Neon's {@code ep-...-pooler.<region>.aws.neon.tech},
     * Supabase's {@code aws-0-<region>.pooler.supabase.com}) counts as one.
     */
    public boolean behindTransactionPooler() {
        String explicit = parameters.get(PGBOUNCER);
        if (explicit != null) {
            return explicit.equals("true");
        }
        for (String label : host.toLowerCase(Locale.ROOT).split("\\.")) {
            if (label.equals("pooler") || label.endsWith("-pooler")) {
                return true;
            }
        }
        return false;
    }

    /** Quarkus configuration for both datasources, with pooler settings when {@link #behindTransactionPooler()}. */
    public Map<String, String> quarkusProperties() {
        return quarkusProperties(behindTransactionPooler());
    }

    /**
     * Quarkus configuration for both datasources. sslmode follows libpq: {@code require} encrypts without
     * verifying the certificate (trust-all) unless {@code sslrootcert} names a CA file, in which case it verifies
     * the chain as libpq does; {@code verify-ca} and {@code verify-full} verify it against {@code sslrootcert} or,
     * without one, the JVM's default trust store, the latter with host name checking. The Vert.x client refuses
     * verify-ca and verify-full without explicit trust options, hence the trust store is named even in the default case.
     *
     * <p>{@code transactionPooler} switches the reactive client to settings a transaction-mode pooler needs
     * (PgBouncer before 1.21, or with {@code max_prepared_statements = 0}, which Neon used for years): in that mode
     * consecutive statements of one client connection may run on different server connections, so a named prepared
     * statement created on one may not exist on the next. Hence:
     * <ul>
     * <li>{@code cache-prepared-statements=false}: no named, cached statements;</li>
     * <li>{@code postgresql.use-layer7-proxy=true}: each execution re-sends its Parse with the unnamed statement in the
     * same Parse/Bind/Execute/Sync round trip, so it never depends on a statement prepared by an earlier round trip;</li>
     * <li>{@code postgresql.pipelining-limit=1}: one command in flight per connection, so a command never starts on a
     * server connection that the pooler is about to hand to another client.</li>
     * </ul>
     * Flyway does not go through the pooler: it uses {@code DATABASE_DIRECT_URL}.
     */
    public Map<String, String> quarkusProperties(boolean transactionPooler) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.datasource.reactive.url", reactiveUrl());
        props.put("quarkus.datasource.jdbc.url", jdbcUrl());
        if (!user.isEmpty()) {
            props.put("quarkus.datasource.username", user);
        }
        if (!password.isEmpty()) {
            props.put("quarkus.datasource.password", password);
        }
        sslMode.ifPresent(mode -> props.putAll(sslProperties(mode, parameters.get("sslrootcert"))));
        String options = parameters.get("options");
        if (options != null) {
            // Sent in the startup message, as libpq does: Neon reads endpoint=<id> from it when SNI is unavailable.
            props.put("quarkus.datasource.reactive.additional-properties.options", options);
        }
        String appName = parameters.get("application_name");
        if (appName != null) {
            props.put("quarkus.datasource.reactive.additional-properties.application_name", appName);
        }
        if (transactionPooler) {
            props.put("quarkus.datasource.reactive.cache-prepared-statements", "false");
            props.put("quarkus.datasource.reactive.postgresql.use-layer7-proxy", "true");
            props.put("quarkus.datasource.reactive.postgresql.pipelining-limit", "1");
        }
        return props;
    }

    private static Map<String, String> sslProperties(String mode, String rootCert) {
        String reactive = "quarkus.datasource.reactive.";
        Map<String, String> props = new LinkedHashMap<>();
        boolean verify = mode.startsWith("verify-") || mode.equals("require") && rootCert != null;
        if (!verify) {
            props.put(reactive + "postgresql.ssl-mode", mode);
            if (mode.equals("require")) {
                props.put(reactive + "trust-all", "true");
            }
            return props;
        }
        props.put(reactive + "postgresql.ssl-mode", mode.equals("require") ? "verify-ca" : mode);
        if (rootCert != null) {
            props.put(reactive + "trust-certificate-pem.certs", rootCert);
        } else {
            props.put(reactive + "trust-certificate-jks.path", defaultTrustStore());
            props.put(
                    reactive + "trust-certificate-jks.password",
                    System.getProperty("javax.net.ssl.trustStorePassword", "changeit"));
        }
        if (mode.equals("verify-full")) {
            props.put(reactive + "hostname-verification-algorithm", "HTTPS");
        }
        return props;
    }

    /** The trust store the JVM's default SSL context uses, per the JSSE reference guide's lookup order. */
    static String defaultTrustStore() {
        String configured = System.getProperty("javax.net.ssl.trustStore");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        java.nio.file.Path security = java.nio.file.Path.of(System.getProperty("java.home"), "lib", "security");
        java.nio.file.Path jssecacerts = security.resolve("jssecacerts");
        return (java.nio.file.Files.isRegularFile(jssecacerts) ? jssecacerts : security.resolve("cacerts")).toString();
    }

    private static void checkSslMode(String mode) {
        if (!List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
                .contains(mode)) {
            throw new IllegalArgumentException("unsupported sslmode '" + mode
                    + "': use disable, allow, prefer, require, verify-ca or verify-full");
        }
    }

    private String hostPort() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("database URL has an invalid port '" + text + "'");
        }
    }

    /** RFC 3986 percent-decoding ('+' stays '+'). */
    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '%') {
                // Do not echo the text: it may be part of the password.
                throw new IllegalArgumentException("database URL has a malformed percent-escape");
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text, int index) {
        return index < text.length() && Character.digit(text.charAt(index), 16) >= 0;
    }

    private static String encodePath(String text) {
        return encode(text, "-._~");
    }

    private static String encodeQuery(String text) {
        return encode(text, "-._~");
    }

    private static String encode(String text, String safe) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || safe.indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + user + "@" + hostPort() + "/" + database + "]";
    }
}
