package dev.lectern.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private PgBouncer for tests: transaction pooling, TLS required from clients with a certificate made at start,
 * SCRAM password authentication, in front of the local PostgreSQL. It runs as a child process with its own
 * directory under {@code target/}, listens on a free loopback port and is stopped with {@link #close()}.
 *
 * <p>Settings mirror Neon's pooled endpoint: {@code pool_mode = transaction}, {@code max_prepared_statements} left at
 * 1.18's only behaviour (no protocol-level prepared statements across transactions), {@code extra_float_digits} ignored
 * as a startup parameter (every PostgreSQL driver sends it). {@code default_pool_size} is small so that the
 * application's 20 client connections really share a few server connections.
 *
 * <p>The binary is {@code LECTERN_PGBOUNCER_BIN} when set, else {@code pgbouncer} on the PATH or in /usr/sbin. Debian
 * ships it as the {@code pgbouncer} package; {@code .ci/run} installs it. Missing, it is an error, never a skip.
 */
public final class PgBouncer implements AutoCloseable {

    /** The same role as the direct URL's, as on Neon, where pooled and direct endpoints share credentials. */
    public static final String USER = "postgres";

    public static final String PASSWORD = "pooled-secret";
    public static final int SERVER_POOL_SIZE = 4;

    private final Process process;
    private final Path directory;
    private final int port;

    private PgBouncer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts PgBouncer in front of {@code serverHost:serverPort}; fails with the reason if it cannot. */
    public static PgBouncer start(String serverHost, int serverPort) {
        Path binary = binary();
        try {
            Path directory = Files.createDirectories(Path.of(
                            "target",
                            "pgbouncer-" + UUID.randomUUID().toString().substring(0, 8)))
                    .toAbsolutePath();
            writeCertificate(directory);
            Files.writeString(directory.resolve("userlist.txt"), "\"" + USER + "\" \"" + PASSWORD + "\"\n");
            int port = freePort();
            Files.writeString(directory.resolve("pgbouncer.ini"), config(directory, port, serverHost, serverPort));
            // PgBouncer refuses to run as root; it then drops to the user the config names, who must read these files.
            for (Path file : List.of(
                    directory,
                    directory.resolve("userlist.txt"),
                    directory.resolve("pgbouncer.ini"),
                    directory.resolve("server.crt"),
                    directory.resolve("server.key"))) {
                file.toFile().setReadable(true, false);
                file.toFile().setExecutable(true, false);
            }
            Path log = directory.resolve("pgbouncer.log");
            Process process = new ProcessBuilder(
                            binary.toString(),
                            directory.resolve("pgbouncer.ini").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            PgBouncer bouncer = new PgBouncer(process, directory, port);
            bouncer.awaitListening(log);
            return bouncer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pgbouncer", e);
        }
    }

    public int port() {
        return port;
    }

    /**
     * A {@code DATABASE_URL} for the application: through this PgBouncer, TLS required, password in the URL, and
     * {@code pgbouncer=true} because a loopback address does not reveal a pooler the way Neon's {@code -pooler} host does.
     */
    public String databaseUrl(String database) {
        return "postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + database
                + "?sslmode=require&pgbouncer=true";
    }

    public String log() {
        try {
            return Files.readString(directory.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path binary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("LECTERN_PGBOUNCER_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "pgbouncer"));
                }
            }
            candidates.add(Path.of("/usr/sbin/pgbouncer"));
            candidates.add(Path.of("/usr/local/sbin/pgbouncer"));
        }
        return candidates.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("pgbouncer is not installed (looked for " + candidates
                        + "). The integration tests also run through PgBouncer "
                        + "in transaction mode, as behind Neon's pooled endpoint: install it (Debian/Ubuntu: apt-get install -y "
                        + "pgbouncer; macOS: brew install pgbouncer) or set LECTERN_PGBOUNCER_BIN to its path."));
    }

    private static String config(Path dir, int port, String serverHost, int serverPort) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return """
                [databases]
                * = host=%s port=%d

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = scram-sha-256
                auth_file = %s
                admin_users = %s
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 200
                ignore_startup_parameters = extra_float_digits
                client_tls_sslmode = require
                client_tls_cert_file = %s
                client_tls_key_file = %s
                %s
                """.formatted(
                        serverHost,
                        serverPort,
                        port,
                        dir.resolve("userlist.txt"),
                        USER,
                        SERVER_POOL_SIZE,
                        dir.resolve("server.crt"),
                        dir.resolve("server.key"),
                        root ? "user = " + unprivilegedUser() : "");
    }

    private static String unprivilegedUser() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:"))
                    ? "postgres"
                    : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }

    /** A self-signed certificate for localhost and 127.0.0.1, made with the JDK's keytool, written as PEM. */
    private static void writeCertificate(Path dir) throws IOException {
        Path keystore = dir.resolve("server.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process gen = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "pgbouncer",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gen.waitFor(60, TimeUnit.SECONDS) || gen.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            PrivateKey key = (PrivateKey) store.getKey("pgbouncer", "changeit".toCharArray());
            Certificate certificate = store.getCertificate("pgbouncer");
            Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the generated certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening(Path log) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        close();
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within 15 s:\n" + log());
    }
}
