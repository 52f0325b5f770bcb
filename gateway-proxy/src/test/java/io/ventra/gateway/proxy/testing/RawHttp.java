package io.ventra.gateway.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw HTTP/1.1 client over one socket, for tests where exact bytes matter: it writes what it is given and
 * reads responses by their own framing, keeping every header line as received.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(int port, int timeoutMillis) throws IOException {
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(timeoutMillis);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port}; reads time out after 5 s. */
    public static RawHttp connect(int port) throws IOException {
        return new RawHttp(port, 5000);
    }

    /** Writes exact bytes (ISO-8859-1). */
    public RawHttp send(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response; {@code head} says whether it answers a HEAD request (no body). */
    public Response read(boolean head) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("Connection closed before a response");
        }
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            lines.add(line);
        }
        Response response = new Response(statusLine, lines, new byte[0]);
        int status = response.status();
        if (head || status == 204 || status == 304 || status < 200) {
            return response;
        }
        return new Response(statusLine, lines, body(response));
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Tells whether the peer closed the connection (reads EOF within the timeout). */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Returns whatever bytes arrive until EOF or the timeout. */
    public String drain() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                bytes.write(b);
            }
        } catch (SocketTimeoutException e) {
            // Nothing more arrived.
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly {@code n} bytes, or fewer if the peer closes first. */
    public byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    public void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private byte[] body(Response response) throws IOException {
        String te = response.header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int length = Integer.parseInt(readLine().split(";")[0].trim(), 16);
                if (length == 0) {
                    while (!readLine().isEmpty()) {
                        // Trailers are ignored.
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(length));
                readLine();
            }
        }
        String length = response.header("Content-Length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        return in.readAllBytes();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response as received: the status line, each header line, and the decoded body. */
    public record Response(String statusLine, List<String> headerLines, byte[] body) {
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        /** Returns every value of a header, case-insensitively, one per header line. */
        public List<String> all(String name) {
            List<String> values = new ArrayList<>();
            for (String line : headerLines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    values.add(line.substring(colon + 1).trim());
                }
            }
            return values;
        }

        public String header(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
