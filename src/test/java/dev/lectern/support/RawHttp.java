package dev.lectern.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for requests an HTTP client refuses to send (a NUL in a header, a request line of
 * 100 KB, a chunked body larger than the server's limit). One request per connection; the answer is read until its
 * Content-Length is complete or the server closes.
 */
public final class RawHttp {

    private RawHttp() {}

    /** A response: status, headers with lower-case names, and the body as UTF-8 text. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends {@code head} (request line and headers, without the blank line) and then {@code body}, if any. */
    public static Answer exchange(URI server, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (SocketException e) {
                // The server may answer and close before it has read everything: the answer is what counts.
            }
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends {@code head} with {@code Transfer-Encoding: chunked} and a body of {@code size} bytes of {@code fill} in
     * 64 KiB chunks, stopping early when the server closes the connection.
     */
    public static Answer chunked(URI server, String head, long size, byte fill) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write((head + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, fill);
                for (long sent = 0; sent < size; sent += chunk.length) {
                    int n = (int) Math.min(chunk.length, size - sent);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException e) {
                // Closed by the server once the limit was passed.
            }
            return read(socket.getInputStream());
        }
    }

    /** Sends {@code head} and {@code body} with {@code Transfer-Encoding: chunked}, in one chunk. */
    public static Answer chunked(URI server, String head, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return exchange(server, head + "\r\nTransfer-Encoding: chunked", out.toByteArray());
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketException e) {
                n = -1;
            }
            if (n < 0) {
                break;
            }
            raw.write(buffer, 0, n);
            String text = raw.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0) {
                headEnd = text.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    contentLength = contentLength(text.substring(0, headEnd));
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && raw.size() >= headEnd + 4 + contentLength) {
                break;
            }
            if (headEnd >= 0 && contentLength < 0 && text.endsWith("\r\n0\r\n\r\n")) {
                break;
            }
        }
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0) {
            throw new IOException("no HTTP answer: '" + text + "'");
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] bytes = raw.toByteArray();
        // Bytes as ISO-8859-1 characters, so chunk sizes count characters; UTF-8 once the chunks are joined.
        String body = new String(bytes, headEnd + 4, bytes.length - headEnd - 4, StandardCharsets.ISO_8859_1);
        if ("chunked".equals(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(
                status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked") ? -1 : 0;
    }
}
