package io.ventra.gateway.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test upstream on loopback built on plain sockets, so it sees and sends exact bytes: it parses each request
 * itself (Content-Length or chunked bodies), records the parsed request and every raw byte, and answers with
 * whatever raw response the script returns for it. A script may also delay, hang, or close the connection.
 */
public final class ScriptedUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "scripted-upstream");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> malformed = new CopyOnWriteArrayList<>();
    private volatile Function<Recorded, Reply> script = request -> Reply.ok("ok");
    private volatile Function<Recorded, Reply> earlyScript = head -> null;

    private ScriptedUpstream() throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** Starts an upstream that answers {@code 200 ok} until given a script. */
    public static ScriptedUpstream start() {
        try {
            return new ScriptedUpstream();
        } catch (IOException e) {
            throw new IllegalStateException("Failed to start the scripted upstream", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Replaces the script that answers each request. */
    public ScriptedUpstream script(Function<Recorded, Reply> newScript) {
        this.script = newScript;
        return this;
    }

    /**
     * Sets a script asked as soon as a request head is parsed, before its body is read; when it returns a reply,
     * that reply is sent at once (an early answer such as 413), then the body is read and dropped per its
     * framing, as a compliant server does, and the script is not asked.
     */
    public ScriptedUpstream earlyScript(Function<Recorded, Reply> newEarlyScript) {
        this.earlyScript = newEarlyScript;
        return this;
    }

    /** Returns every request line the upstream could not parse (garbage such as a desynchronised body). */
    public List<String> malformed() {
        return Collections.unmodifiableList(malformed);
    }

    /** Returns the requests parsed so far, in arrival order. */
    public List<Recorded> requests() {
        return Collections.unmodifiableList(requests);
    }

    /** Returns every byte received on every connection, in arrival order per read. */
    public String rawReceived() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Returns how many connections the upstream has accepted. */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** Closes every open connection (as an upstream's idle timeout would). */
    public void closeConnections() throws IOException {
        Socket socket;
        while ((socket = sockets.poll()) != null) {
            socket.close();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeConnections();
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new RecordingInput(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                Recorded head = Recorded.readHead(in);
                if (head == null) {
                    return;
                }
                Reply early = earlyScript.apply(head);
                if (early != null) {
                    requests.add(head);
                    if (!early.perform(out)) {
                        return;
                    }
                    Recorded.readBody(in, head);
                    continue;
                }
                Recorded request = head.withBody(Recorded.readBody(in, head));
                requests.add(request);
                Reply reply = script.apply(request);
                if (!reply.perform(out)) {
                    return;
                }
                if (reply.upgrades()) {
                    in.transferTo(out);
                    return;
                }
            }
        } catch (MalformedRequestException e) {
            malformed.add(e.getMessage());
        } catch (IOException e) {
            // The peer went away; nothing to record.
        }
    }

    private static final class MalformedRequestException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedRequestException(String line) {
            super(line);
        }
    }

    private final class RecordingInput extends InputStream {
        private final InputStream in;

        RecordingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                synchronized (raw) {
                    raw.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = in.read(bytes, offset, length);
            if (n > 0) {
                synchronized (raw) {
                    raw.write(bytes, offset, n);
                }
            }
            return n;
        }
    }

    /** One request as the upstream parsed it. */
    public record Recorded(String method, String target, String version, List<String[]> headers, byte[] body) {
        /** Returns the values of a header, case-insensitively, in order. */
        public List<String> all(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        /** Returns the first value of a header, or {@code null}. */
        public String header(String name) {
            List<String> values = all(name);
            return values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Recorded withBody(byte[] newBody) {
            return new Recorded(method, target, version, headers, newBody);
        }

        static Recorded readHead(InputStream in) throws IOException {
            String line = readLine(in);
            while (line != null && line.isEmpty()) {
                line = readLine(in);
            }
            if (line == null) {
                return null;
            }
            String[] parts = line.split(" ", 3);
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                throw new MalformedRequestException(line);
            }
            List<String[]> headers = new ArrayList<>();
            String headerLine;
            while ((headerLine = readLine(in)) != null && !headerLine.isEmpty()) {
                int colon = headerLine.indexOf(':');
                headers.add(new String[] {headerLine.substring(0, colon), headerLine.substring(colon + 1).trim()});
            }
            return new Recorded(parts[0], parts[1], parts[2], headers, new byte[0]);
        }

        static byte[] readBody(InputStream in, Recorded head) throws IOException {
            String te = head.header("Transfer-Encoding");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    String size = readLine(in);
                    int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (length == 0) {
                        while (!readLine(in).isEmpty()) {
                            // Trailers are ignored.
                        }
                        return body.toByteArray();
                    }
                    body.write(in.readNBytes(length));
                    readLine(in);
                }
            }
            String length = head.header("Content-Length");
            return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
        }

        private static String readLine(InputStream in) throws IOException {
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
            return null;
        }
    }

    /** What the upstream does with one request. */
    @FunctionalInterface
    public interface Reply {
        /** Never released: pauses simply run their length, ending early only if the thread is interrupted. */
        java.util.concurrent.CountDownLatch STOPPED = new java.util.concurrent.CountDownLatch(1);

        /** Sends the reply; returns false to close the connection afterwards. */
        boolean perform(OutputStream out) throws IOException;

        /** Tells whether the connection turns into a raw echo after this reply (a protocol switch). */
        default boolean upgrades() {
            return false;
        }

        /** Sends {@code response} (a 101) and then echoes every byte it receives until the peer closes. */
        static Reply upgrade(String response) {
            return new Reply() {
                @Override
                public boolean perform(OutputStream out) throws IOException {
                    return raw(response).perform(out);
                }

                @Override
                public boolean upgrades() {
                    return true;
                }
            };
        }

        /** Returns {@code 200} with a text body and Content-Length. */
        static Reply ok(String body) {
            return raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        }

        /** Sends exact bytes and keeps the connection open. */
        static Reply raw(String response) {
            return out -> {
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return true;
            };
        }

        /** Sends exact bytes with pauses between the parts, then keeps the connection open. */
        static Reply parts(long pauseMillis, String... parts) {
            return out -> {
                for (String part : parts) {
                    out.write(part.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    pause(pauseMillis);
                }
                return true;
            };
        }

        /** Waits, then sends {@code then}. */
        static Reply delayed(long millis, Reply then) {
            return out -> {
                pause(millis);
                return then.perform(out);
            };
        }

        /** Closes the connection without answering. */
        static Reply close() {
            return out -> false;
        }

        private static void pause(long millis) throws IOException {
            // A scripted upstream delay, not a wait for a condition: it models a slow origin.
            try {
                if (STOPPED.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new SocketException("upstream stopped");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketException("interrupted");
            }
        }
    }
}
