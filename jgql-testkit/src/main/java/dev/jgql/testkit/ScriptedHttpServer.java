package dev.jgql.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on loopback that answers with scripted responses and scripted faults, byte
 * for byte. It parses requests itself on plain sockets, so a fault is exactly what the script says:
 * a body cut short after a declared {@code Content-Length}, a TCP reset in the middle of a body, a
 * connection closed or left silent after the request was read.
 *
 * <pre>{@code
 * try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
 *     server.enqueue(Response.json(200, "{\"data\":{\"ok\":true}}"));
 *     server.enqueue(Response.json(200, "{\"data\":{\"ok\":true}}").truncatedBody(5));
 *     server.enqueue(Response.noResponse());
 *
 *     // ... point the client at server.uri() ...
 *
 *     RecordedRequest first = server.takeRequest(Duration.ofSeconds(5));
 *     assertThat(first.method()).isEqualTo("POST");
 * }
 * }</pre>
 *
 * <p>Responses are taken from the queue filled by {@link #enqueue} in arrival order of complete
 * requests; when the queue is empty the {@link #handler handler} answers; when there is neither,
 * the server answers {@code 503} with a text body saying that nothing was scripted. Any path is
 * accepted and recorded. Connections are kept alive (several requests per connection) unless the
 * request or the response says {@code Connection: close}. Request bodies need a
 * {@code Content-Length}: a chunked request is answered {@code 501} and its connection closed.
 *
 * <p>Thread-safe. Each connection is served by its own daemon thread named
 * {@code jgql-testkit-http-<port>-conn-<n>}; {@link #close()} closes the listener and every open
 * socket and waits (at most 5 s) for those threads to end.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScriptedHttpServer.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket listener;
    private final int port;
    private final String threadPrefix;
    private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
    private volatile Function<RecordedRequest, Response> handler;
    private final BlockingQueue<RecordedRequest> recorded = new LinkedBlockingQueue<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private boolean closed;

    private ScriptedHttpServer(ServerSocket listener) {
        this.listener = listener;
        this.port = listener.getLocalPort();
        this.threadPrefix = "jgql-testkit-http-" + port + "-";
    }

    /**
     * Starts a server on {@code 127.0.0.1} on a free port.
     *
     * <pre>{@code
     * ScriptedHttpServer server = ScriptedHttpServer.start();
     * URI endpoint = server.uri();   // http://127.0.0.1:PORT/graphql
     * }</pre>
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static ScriptedHttpServer start() {
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("ScriptedHttpServer could not bind a loopback port", e);
        }
        ScriptedHttpServer server = new ScriptedHttpServer(listener);
        server.spawn("accept", server::acceptLoop);
        return server;
    }

    /**
     * {@code http://127.0.0.1:PORT/graphql}; the server accepts any other path too.
     *
     * <pre>{@code
     * HttpRequest.newBuilder(server.uri()).POST(BodyPublishers.ofString(json)).build();
     * }</pre>
     */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/graphql");
    }

    /**
     * The bound port.
     *
     * <pre>{@code
     * URI other = URI.create("http://127.0.0.1:" + server.port() + "/other?x=1");
     * }</pre>
     */
    public int port() {
        return port;
    }

    /**
     * Appends responses to the script; each answers one request, in order.
     *
     * <pre>{@code
     * server.enqueue(Response.json(500, "{\"errors\":[{\"message\":\"boom\"}]}"),
     *                Response.json(200, "{\"data\":{}}"));
     * }</pre>
     */
    public void enqueue(Response... responses) {
        for (Response response : responses) {
            script.add(Objects.requireNonNull(response, "response"));
        }
    }

    /**
     * Answers every request the queue does not, computing the response from the request (replacing
     * any earlier handler; {@code null} removes it). Runs on the connection's thread, so it may
     * block; if it throws, the request is answered {@code 500} with the exception in the body.
     *
     * <pre>{@code
     * server.handler(request -> request.body().contains("mutation")
     *         ? Response.resetWithoutResponse()
     *         : Response.json(200, "{\"data\":{\"ok\":true}}"));
     * }</pre>
     */
    public void handler(Function<RecordedRequest, Response> handler) {
        this.handler = handler;
    }

    /**
     * The oldest received request not yet taken, waiting at most {@code timeout} for one.
     *
     * <pre>{@code
     * RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
     * assertThat(request.header("Content-Type")).contains("application/json");
     * }</pre>
     *
     * @throws AssertionError if no request arrives in time, so a test fails with a clear message
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        RecordedRequest request = recorded.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (request == null) {
            throw new AssertionError("ScriptedHttpServer on port " + port + " received no request within "
                    + timeout.toMillis() + " ms (" + requestCount.get() + " received in all)");
        }
        return request;
    }

    /**
     * How many complete requests have been received so far, taken or not.
     *
     * <pre>{@code
     * assertThat(server.requestCount()).isEqualTo(1);   // the client did not retry the mutation
     * }</pre>
     */
    public int requestCount() {
        return requestCount.get();
    }

    /**
     * How many client connections are open now. A connection counts until the client closes it (or
     * the server does, as a scripted fault or on {@code Connection: close}), so tests can check that
     * a client releases its sockets.
     *
     * <pre>{@code
     * client.close();
     * // poll with a deadline: the server sees the client's FIN asynchronously
     * assertThat(server.openConnectionCount()).isZero();
     * }</pre>
     */
    public int openConnectionCount() {
        return openSockets.size();
    }

    /**
     * Closes the listener and every open connection (including those held by
     * {@link Response#noResponse()} or waiting in a {@link Response#withDelay delay}), then waits
     * at most 5 s for the server's threads to end. Idempotent.
     *
     * <pre>{@code
     * try (ScriptedHttpServer server = ScriptedHttpServer.start()) { ... }
     * }</pre>
     *
     * @throws IllegalStateException if a server thread is still alive after 5 s
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!closed) {
                closed = true;
                closing.countDown();
                closeQuietly(listener);
                for (Socket socket : openSockets) {
                    closeQuietly(socket);
                }
            }
        }
        // No thread is spawned once closed is set, so this snapshot holds every thread there will be.
        Threads.joinAll(threads, CLOSE_TIMEOUT, "ScriptedHttpServer");
    }

    @Override
    public String toString() {
        return "ScriptedHttpServer[" + uri() + ", requests=" + requestCount.get()
                + ", openConnections=" + openSockets.size() + "]";
    }

    // -------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!isClosed()) {
                    log.warn("ScriptedHttpServer on port {} stopped accepting", port, e);
                }
                return;
            }
            int index = connectionCount.getAndIncrement();
            synchronized (lifecycle) {
                // Registered under the lock so that close() either sees this socket or refuses it.
                if (closed) {
                    closeQuietly(socket);
                    return;
                }
                openSockets.add(socket);
                spawn("conn-" + index, () -> serve(socket, index));
            }
        }
    }

    private void serve(Socket socket, int connectionIndex) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int exchange = 0; ; exchange++) {
                if (!exchange(socket, in, out, connectionIndex, exchange)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away or close() closed the socket: both are normal endings here.
            log.debug("ScriptedHttpServer connection {} ended: {}", connectionIndex, e.toString());
        } finally {
            openSockets.remove(socket);
        }
    }

    /** Serves one request; {@code false} when the connection must end. */
    private boolean exchange(Socket socket, InputStream in, OutputStream out, int connectionIndex, int exchangeIndex)
            throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return false;
        }
        if (requestLine.isEmpty()) {
            // RFC 9112 §2.2: ignore at least one empty line before a request line.
            requestLine = readLine(in);
            if (requestLine == null) {
                return false;
            }
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            sendError(out, 400, "ScriptedHttpServer: malformed request line: " + requestLine);
            return false;
        }
        Map<String, List<String>> headers = readHeaders(in);
        if (headers == null) {
            sendError(out, 400, "ScriptedHttpServer: malformed or too many header lines");
            return false;
        }
        if (first(headers, "Transfer-Encoding") != null) {
            sendError(out, 501, "ScriptedHttpServer does not support chunked (Transfer-Encoding) request bodies;"
                    + " send a Content-Length");
            return false;
        }
        int length;
        try {
            String declared = first(headers, "Content-Length");
            length = declared == null ? 0 : Integer.parseInt(declared.trim());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0 || length > MAX_BODY) {
            sendError(out, 400, "ScriptedHttpServer: bad or too large Content-Length");
            return false;
        }
        if (length > 0 && hasToken(headers, "Expect", "100-continue")) {
            out.write(CONTINUE);
            out.flush();
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return false;
        }

        RecordedRequest request = new RecordedRequest(parts[0], parts[1], headers,
                new String(body, StandardCharsets.UTF_8), connectionIndex, exchangeIndex);
        // Recorded before answering, so a test that has seen the response can take the request at once.
        requestCount.incrementAndGet();
        recorded.add(request);

        Response response = respondTo(request);
        if (!response.delay.isZero()) {
            try {
                if (closing.await(response.delay.toNanos(), TimeUnit.NANOSECONDS)) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        boolean http10 = parts[2].equals("HTTP/1.0");
        boolean clientCloses = hasToken(headers, "Connection", "close")
                || (http10 && !hasToken(headers, "Connection", "keep-alive"));
        switch (response.fault) {
            case CLOSE:
                socket.shutdownOutput();
                return false;
            case RESET:
                reset(socket);
                return false;
            case SILENCE:
                // Drain until the client gives up and closes, so openConnectionCount() shows whether
                // it does; close() ends the wait otherwise.
                in.transferTo(OutputStream.nullOutputStream());
                return false;
            default:
                break;
        }
        byte[] head = response.head(clientCloses);
        int bodyBytes = parts[0].equals("HEAD") ? 0
                : response.fault == Fault.NONE ? response.body.length : response.bodyBytesSent;
        // One write, so that a fault that follows finds every byte before it already in the kernel.
        byte[] bytes = Arrays.copyOf(head, head.length + bodyBytes);
        System.arraycopy(response.body, 0, bytes, head.length, bodyBytes);
        out.write(bytes);
        out.flush();
        if (response.fault == Fault.TRUNCATE) {
            socket.shutdownOutput();
            return false;
        }
        if (response.fault == Fault.RESET_MID_RESPONSE) {
            reset(socket);
            return false;
        }
        if (clientCloses || response.closesConnection()) {
            socket.shutdownOutput();
            return false;
        }
        return true;
    }

    private Response respondTo(RecordedRequest request) {
        Response scripted = script.poll();
        if (scripted != null) {
            return scripted;
        }
        Function<RecordedRequest, Response> current = handler;
        if (current == null) {
            log.warn("ScriptedHttpServer on port {}: nothing scripted for {} {}", port, request.method(), request.target());
            return Response.text(503, "text/plain; charset=utf-8", "ScriptedHttpServer: nothing scripted for "
                    + request.method() + " " + request.target() + "; enqueue a response or set a handler");
        }
        try {
            return Objects.requireNonNull(current.apply(request), "the handler returned null");
        } catch (RuntimeException | Error e) {
            log.warn("ScriptedHttpServer on port {}: the handler failed for {} {}", port, request.method(),
                    request.target(), e);
            return Response.text(500, "text/plain; charset=utf-8", "ScriptedHttpServer: the handler threw " + e);
        }
    }

    private static void sendError(OutputStream out, int status, String message) throws IOException {
        Response response = Response.text(status, "text/plain; charset=utf-8", message);
        byte[] head = response.head(true);
        out.write(head);
        out.write(response.body);
        out.flush();
    }

    private static void reset(Socket socket) throws IOException {
        // SO_LINGER 0 turns close() into an RST that also discards anything still unsent.
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** A CRLF- (or bare LF-) terminated ISO-8859-1 line, or {@code null} at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new IOException("end of stream inside a request line");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("request line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int count = 0; ; count++) {
            String line = readLine(in);
            if (line == null) {
                throw new IOException("end of stream inside the request headers");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || count >= MAX_HEADERS) {
                return null;
            }
            headers.computeIfAbsent(line.substring(0, colon), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean hasToken(Map<String, List<String>> headers, String name, String token) {
        for (String value : headers.getOrDefault(name, List.of())) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean isClosed() {
        synchronized (lifecycle) {
            return closed;
        }
    }

    /** Call before the server is published or with the lifecycle lock held, after checking it is open. */
    private void spawn(String name, Runnable task) {
        // Threads stay tracked until dead (not until their task returns), so close() can join them.
        threads.removeIf(thread -> !thread.isAlive());
        Thread thread = new Thread(task, threadPrefix + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing during shutdown: nothing useful to do with the failure.
        }
    }

    private enum Fault { NONE, TRUNCATE, RESET_MID_RESPONSE, CLOSE, RESET, SILENCE }

    /**
     * One scripted answer: a status, headers and a body, or a fault. Immutable: every
     * {@code with…} method returns a new response.
     *
     * <pre>{@code
     * Response ok = Response.json(200, "{\"data\":{\"ok\":true}}").withHeader("X-Request-Id", "42");
     * Response cut = ok.truncatedBody(3);            // Content-Length 22, 3 body bytes, then FIN
     * Response reset = ok.resetMidResponse(3);       // headers, 3 body bytes, then RST
     * Response slow = ok.withDelay(Duration.ofMillis(200));   // real time
     * }</pre>
     *
     * <p>{@code Content-Length} is added from the body unless a {@code Content-Length} header was
     * set explicitly, which is sent as given (so a test can make the server lie).
     */
    public static final class Response {
        private final int status;
        private final List<String[]> headers;
        private final byte[] body;
        private final Fault fault;
        private final int bodyBytesSent;
        private final Duration delay;

        private Response(int status, List<String[]> headers, byte[] body, Fault fault, int bodyBytesSent, Duration delay) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.fault = fault;
            this.bodyBytesSent = bodyBytesSent;
            this.delay = delay;
        }

        /**
         * A response with a JSON body ({@code Content-Type: application/json}).
         *
         * <pre>{@code
         * Response.json(200, "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}");
         * }</pre>
         */
        public static Response json(int status, String body) {
            return text(status, "application/json", body);
        }

        /**
         * A response with a UTF-8 text body and the given {@code Content-Type}.
         *
         * <pre>{@code
         * Response.text(200, "application/graphql-response+json", "{\"data\":null}");
         * }</pre>
         */
        public static Response text(int status, String contentType, String body) {
            return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A response with an HTML body, such as a proxy's error page.
         *
         * <pre>{@code
         * Response.html(502, "<html><body>Bad Gateway</body></html>");
         * }</pre>
         */
        public static Response html(int status, String body) {
            return text(status, "text/html; charset=utf-8", body);
        }

        /**
         * A response with a binary body, sent exactly as given.
         *
         * <pre>{@code
         * Response.bytes(200, "application/json", new byte[] {(byte) 0xC3, 0x28});   // invalid UTF-8
         * }</pre>
         */
        public static Response bytes(int status, String contentType, byte[] body) {
            checkStatus(status);
            List<String[]> headers = List.<String[]>of(new String[] {"Content-Type", contentType});
            return new Response(status, headers, body.clone(), Fault.NONE, 0, Duration.ZERO);
        }

        /**
         * A response with an empty body and no {@code Content-Type}.
         *
         * <pre>{@code
         * Response.status(503).withHeader("Retry-After", "2");
         * }</pre>
         */
        public static Response status(int status) {
            checkStatus(status);
            return new Response(status, List.of(), new byte[0], Fault.NONE, 0, Duration.ZERO);
        }

        /**
         * Reads the request, then closes the connection (FIN) without sending a byte.
         *
         * <pre>{@code
         * server.enqueue(Response.closeWithoutResponse());   // JDK client: IOException
         * }</pre>
         */
        public static Response closeWithoutResponse() {
            return new Response(0, List.of(), new byte[0], Fault.CLOSE, 0, Duration.ZERO);
        }

        /**
         * Reads the request, then resets the connection (RST) without sending a byte: what a client
         * sees when a server process crashes while handling a request.
         *
         * <pre>{@code
         * server.enqueue(Response.resetWithoutResponse());   // JDK client: IOException "Connection reset"
         * }</pre>
         */
        public static Response resetWithoutResponse() {
            return new Response(0, List.of(), new byte[0], Fault.RESET, 0, Duration.ZERO);
        }

        /**
         * Reads the request and never answers; the connection stays open until the client closes
         * it or the server is closed, so only the client's own timeout can end the exchange.
         *
         * <pre>{@code
         * server.enqueue(Response.noResponse());   // JDK client: HttpTimeoutException after its timeout
         * }</pre>
         */
        public static Response noResponse() {
            return new Response(0, List.of(), new byte[0], Fault.SILENCE, 0, Duration.ZERO);
        }

        /**
         * This response with a header set, replacing any value of the same name (case-insensitive).
         *
         * <pre>{@code
         * Response.json(200, body).withHeader("Connection", "close");   // the server closes after it
         * }</pre>
         *
         * @throws IllegalStateException on a fault that sends no headers
         */
        public Response withHeader(String name, String value) {
            requireHeaders("withHeader");
            if (name.isEmpty() || (name + value).chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("Header names must be non-empty and neither names nor values"
                        + " may contain CR or LF: " + name);
            }
            List<String[]> copy = new ArrayList<>();
            for (String[] header : headers) {
                if (!header[0].equalsIgnoreCase(name)) {
                    copy.add(header);
                }
            }
            copy.add(new String[] {name, value});
            return new Response(status, Collections.unmodifiableList(copy), body, fault, bodyBytesSent, delay);
        }

        /**
         * This response sending the headers (with the full {@code Content-Length}) and only the first
         * {@code bodyBytesSent} bytes of the body, then closing the connection (FIN).
         *
         * <pre>{@code
         * Response.json(200, "{\"data\":{}}").truncatedBody(4);   // JDK client: IOException
         * }</pre>
         *
         * @throws IllegalArgumentException unless {@code 0 <= bodyBytesSent < body length}
         */
        public Response truncatedBody(int bodyBytesSent) {
            requireHeaders("truncatedBody");
            if (bodyBytesSent < 0 || bodyBytesSent >= body.length) {
                throw new IllegalArgumentException("truncatedBody needs 0 <= bodyBytesSent < " + body.length
                        + " (the body length), got " + bodyBytesSent);
            }
            return new Response(status, headers, body, Fault.TRUNCATE, bodyBytesSent, delay);
        }

        /**
         * This response sending the headers and the first {@code bodyBytesSent} bytes of the body,
         * then resetting the connection (RST). With {@code bodyBytesSent} equal to the body length
         * the whole response is sent before the reset.
         *
         * <pre>{@code
         * Response.json(200, "{\"data\":{}}").resetMidResponse(4);   // JDK client: IOException
         * }</pre>
         *
         * @throws IllegalArgumentException unless {@code 0 <= bodyBytesSent <= body length}
         */
        public Response resetMidResponse(int bodyBytesSent) {
            requireHeaders("resetMidResponse");
            if (bodyBytesSent < 0 || bodyBytesSent > body.length) {
                throw new IllegalArgumentException("resetMidResponse needs 0 <= bodyBytesSent <= " + body.length
                        + " (the body length), got " + bodyBytesSent);
            }
            return new Response(status, headers, body, Fault.RESET_MID_RESPONSE, bodyBytesSent, delay);
        }

        /**
         * This response (or fault) after waiting {@code delay} of <em>real</em> time once the request
         * has been read. Prefer faults that need no wall clock; {@link ScriptedHttpServer#close()}
         * ends the wait early.
         *
         * <pre>{@code
         * Response.json(200, body).withDelay(Duration.ofMillis(300));
         * }</pre>
         */
        public Response withDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
            return new Response(status, headers, body, fault, bodyBytesSent, delay);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("Response[");
            switch (fault) {
                case CLOSE -> text.append("closeWithoutResponse");
                case RESET -> text.append("resetWithoutResponse");
                case SILENCE -> text.append("noResponse");
                default -> {
                    text.append(status).append(", ").append(body.length).append(" body bytes");
                    if (fault == Fault.TRUNCATE) {
                        text.append(", truncatedBody(").append(bodyBytesSent).append(')');
                    } else if (fault == Fault.RESET_MID_RESPONSE) {
                        text.append(", resetMidResponse(").append(bodyBytesSent).append(')');
                    }
                }
            }
            if (!delay.isZero()) {
                text.append(", delay ").append(delay.toMillis()).append(" ms");
            }
            return text.append(']').toString();
        }

        private void requireHeaders(String method) {
            if (fault == Fault.CLOSE || fault == Fault.RESET || fault == Fault.SILENCE) {
                throw new IllegalStateException(method + " does not apply to " + this + ", which sends no response");
            }
        }

        private boolean closesConnection() {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase("Connection")) {
                    for (String token : header[1].split(",")) {
                        if (token.trim().equalsIgnoreCase("close")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private byte[] head(boolean addConnectionClose) {
            StringBuilder head = new StringBuilder(256)
                    .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            boolean hasLength = false;
            boolean hasConnection = false;
            for (String[] header : headers) {
                head.append(header[0]).append(": ").append(header[1]).append("\r\n");
                hasLength |= header[0].equalsIgnoreCase("Content-Length");
                hasConnection |= header[0].equalsIgnoreCase("Connection");
            }
            if (!hasLength) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            if (addConnectionClose && !hasConnection) {
                head.append("Connection: close\r\n");
            }
            return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private static void checkStatus(int status) {
            if (status < 200 || status > 999) {
                // 1xx would need a second, final response, which a single scripted answer cannot give.
                throw new IllegalArgumentException("status must be between 200 and 999, got " + status);
            }
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 201 -> "Created";
                case 202 -> "Accepted";
                case 204 -> "No Content";
                case 301 -> "Moved Permanently";
                case 302 -> "Found";
                case 304 -> "Not Modified";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 408 -> "Request Timeout";
                case 413 -> "Content Too Large";
                case 414 -> "URI Too Long";
                case 415 -> "Unsupported Media Type";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 501 -> "Not Implemented";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                default -> "Status " + status;
            };
        }
    }

    /**
     * A request as the server received it. Immutable.
     *
     * <pre>{@code
     * RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
     * assertThat(request.method()).isEqualTo("POST");
     * assertThat(request.target()).isEqualTo("/graphql");
     * assertThat(request.header("Authorization")).contains("Bearer t0k3n");
     * assertThat(request.body()).contains("\"query\"");
     * }</pre>
     */
    public static final class RecordedRequest {
        private final String method;
        private final String target;
        private final Map<String, List<String>> headers;
        private final String body;
        private final int connectionIndex;
        private final int exchangeIndex;

        private RecordedRequest(String method, String target, Map<String, List<String>> headers, String body,
                                int connectionIndex, int exchangeIndex) {
            this.method = method;
            this.target = target;
            TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
            this.headers = Collections.unmodifiableMap(copy);
            this.body = body;
            this.connectionIndex = connectionIndex;
            this.exchangeIndex = exchangeIndex;
        }

        /**
         * The request method, such as {@code POST}.
         *
         * <pre>{@code
         * assertThat(request.method()).isEqualTo("GET");
         * }</pre>
         */
        public String method() {
            return method;
        }

        /**
         * The request target as sent: path and query, such as {@code /graphql?query=%7B...%7D}.
         *
         * <pre>{@code
         * assertThat(request.target()).startsWith("/graphql?query=");
         * }</pre>
         */
        public String target() {
            return target;
        }

        /**
         * Every header, with case-insensitive names, each with its values in the order received.
         *
         * <pre>{@code
         * assertThat(request.headers().get("accept")).containsExactly("application/json");
         * }</pre>
         */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /**
         * The first value of a header (name matched case-insensitively).
         *
         * <pre>{@code
         * assertThat(request.header("Content-Type")).contains("application/json");
         * }</pre>
         */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /**
         * The body decoded as UTF-8; empty when the request had none.
         *
         * <pre>{@code
         * assertThat(request.body()).contains("mutation");
         * }</pre>
         */
        public String body() {
            return body;
        }

        /**
         * Which connection carried the request: 0 for the first the server accepted, and so on.
         *
         * <pre>{@code
         * assertThat(second.connectionIndex()).isEqualTo(first.connectionIndex());   // kept alive
         * }</pre>
         */
        public int connectionIndex() {
            return connectionIndex;
        }

        /**
         * The request's position on its connection: 0 for the first, 1 for the next kept-alive one.
         *
         * <pre>{@code
         * assertThat(second.exchangeIndex()).isEqualTo(1);
         * }</pre>
         */
        public int exchangeIndex() {
            return exchangeIndex;
        }

        @Override
        public String toString() {
            return method + " " + target + " (connection " + connectionIndex + ", exchange " + exchangeIndex + ", "
                    + body.length() + " body chars)";
        }
    }
}
