package dev.lectern.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of one server, for outage tests that must cut only the application's
 * connections (the real PostgreSQL serves other processes and is never stopped). Three states:
 * <ul>
 * <li>{@link #forward()}: relays bytes both ways;</li>
 * <li>{@link #refuse()}: drops every connection and stops listening, so connects are refused (a database host that is
 * down);</li>
 * <li>{@link #blackhole()}: drops every connection, then accepts new ones but never answers (a hung server or proxy,
 * the worst case for timeouts).</li>
 * </ul>
 * The port stays the same across states.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARD,
        BLACKHOLE,
        REFUSE
    }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket server;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptIn(server);
    }

    public static TcpProxy to(String targetHost, int targetPort) {
        try {
            return new TcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public synchronized void forward() {
        dropConnections();
        mode = Mode.FORWARD;
        ensureListening();
    }

    public synchronized void blackhole() {
        dropConnections();
        mode = Mode.BLACKHOLE;
        ensureListening();
    }

    public synchronized void refuse() {
        mode = Mode.REFUSE;
        closeQuietly(server);
        dropConnections();
    }

    /** Closes every proxied connection (both sides), as a network failure would. */
    public void dropConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    @Override
    public synchronized void close() {
        mode = Mode.REFUSE;
        closeQuietly(server);
        dropConnections();
    }

    private void ensureListening() {
        if (server.isClosed()) {
            try {
                server = listen(port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + port + " again", e);
            }
            acceptIn(server);
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void acceptIn(ServerSocket listening) {
        Thread acceptor = new Thread(
                () -> {
                    while (!listening.isClosed()) {
                        try {
                            Socket client = listening.accept();
                            sockets.add(client);
                            if (mode == Mode.FORWARD) {
                                relay(client);
                            }
                        } catch (IOException e) {
                            // closed by refuse() or close()
                        }
                    }
                },
                "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void relay(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(targetHost, targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        sockets.remove(from);
                        sockets.remove(to);
                    }
                },
                "tcp-proxy-pump-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
