package dev.jgql.transport.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP/1.1 server for streamed answers, scripted byte for byte: a status line and
 * headers, then body pieces written (and flushed) one by one, pauses until the test releases a
 * gate, and an ending: a close (the body is delimited by the connection's end, so a stream cut
 * short looks like a normal end of body to the client), or silence until the client gives up.
 * Every response closes its connection. For the SSE and multipart fault tests.
 *
 * <pre>{@code
 * try (StreamScriptServer server = StreamScriptServer.start()) {
 *     server.enqueue(StreamScriptServer.script(200, "text/event-stream").write(":\n\n").silence());
 *     // ... point the client at server.uri() ...
 * }
 * }</pre>
 */
public final class StreamScriptServer implements AutoCloseable {
    private final ServerSocket listener;
    private final ConcurrentLinkedQueue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger requestCount = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    private StreamScriptServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** Starts a server on a free loopback port. */
    public static StreamScriptServer start() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        StreamScriptServer server = new StreamScriptServer(listener);
        server.spawn(server::accept);
        return server;
    }

    /** {@code http://127.0.0.1:PORT/graphql}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/graphql");
    }

    /** Adds a script; each answers one request, in order. */
    public void enqueue(Script... more) {
        scripts.addAll(List.of(more));
    }

    /** A script that starts with this status and Content-Type. */
    public static Script script(int status, String contentType) {
        return new Script(status, contentType);
    }

    /** The head and body of the next request received, waiting at most {@code timeout}. */
    public String takeRequest(Duration timeout) throws InterruptedException {
        String request = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (request == null) {
            throw new AssertionError("No request within " + timeout.toMillis() + " ms");
        }
        return request;
    }

    /** How many requests arrived so far (taken or not). */
    public int requestCount() {
        return requestCount.get();
    }

    /** How many client connections are open now. */
    public int openConnections() {
        return sockets.size();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Script script : scripts) {
            script.releaseAll();
        }
        synchronized (threads) {
            for (Thread thread : threads) {
                thread.join(5000);
            }
        }
    }

    private void spawn(Runnable task) {
        Thread thread = new Thread(task, "stream-script-" + listener.getLocalPort());
        thread.setDaemon(true);
        synchronized (threads) {
            threads.add(thread);
        }
        thread.start();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                sockets.add(socket);
                spawn(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String head = readHead(in);
            if (head == null) {
                return;
            }
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            requestCount.incrementAndGet();
            requests.add(head + "\r\n\r\n" + body);
            Script script = scripts.poll();
            OutputStream out = socket.getOutputStream();
            if (script == null) {
                out.write("HTTP/1.1 503 Nothing scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            script.play(in, out, () -> closed);
        } catch (IOException | InterruptedException e) {
            // the client went away, or close() closed the socket
        } finally {
            sockets.remove(socket);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    /** What one response does, step by step. */
    public static final class Script {
        private final int status;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final List<Object> steps = new ArrayList<>();
        private final List<CountDownLatch> gates = new ArrayList<>();
        private boolean silent;

        private Script(int status, String contentType) {
            this.status = status;
            headers.put("Content-Type", contentType);
        }

        /** Adds a response header. */
        public Script header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Writes and flushes this text (UTF-8). */
        public Script write(String text) {
            steps.add(text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Writes and flushes these bytes. */
        public Script write(byte[] bytes) {
            steps.add(bytes.clone());
            return this;
        }

        /** Waits until {@link #release} (or the server's close) before the next step. */
        public Script pause() {
            CountDownLatch gate = new CountDownLatch(1);
            gates.add(gate);
            steps.add(gate);
            return this;
        }

        /** Opens the first gate still closed. */
        public void release() {
            synchronized (gates) {
                for (CountDownLatch gate : gates) {
                    if (gate.getCount() > 0) {
                        gate.countDown();
                        return;
                    }
                }
            }
        }

        void releaseAll() {
            gates.forEach(CountDownLatch::countDown);
        }

        /** After the steps, keeps the connection open and silent until the client closes it. */
        public Script silence() {
            silent = true;
            return this;
        }

        void play(InputStream in, OutputStream out, java.util.function.BooleanSupplier serverClosed)
                throws IOException, InterruptedException {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" Scripted\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (Object step : steps) {
                if (step instanceof byte[] bytes) {
                    out.write(bytes);
                    out.flush();
                } else if (step instanceof CountDownLatch gate) {
                    while (!gate.await(100, TimeUnit.MILLISECONDS)) {
                        if (serverClosed.getAsBoolean()) {
                            return;
                        }
                    }
                }
            }
            if (silent) {
                in.transferTo(OutputStream.nullOutputStream()); // until the client closes
            }
        }
    }
}
