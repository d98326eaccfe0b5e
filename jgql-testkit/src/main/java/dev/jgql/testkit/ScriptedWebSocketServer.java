package dev.jgql.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real WebSocket server on {@code 127.0.0.1} that tests script, to see how a client copes with
 * what real servers rarely do on purpose: refused handshakes, a subprotocol it did not offer or
 * none at all, garbage or unexpected messages, fragmented or oversized frames, any close code,
 * silence (no pong, no answer: a half-open link), a dropped TCP connection. It records what the
 * client sent (messages, pings, the close frame, the subprotocols offered and the headers) so
 * tests can assert on it.
 *
 * <pre>{@code
 * try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder()
 *         .subprotocols("graphql-transport-ws")
 *         .onMessage((connection, text) -> {
 *             if (text.contains("\"connection_init\"")) {
 *                 connection.sendText("{\"type\":\"connection_ack\"}");
 *             }
 *         })
 *         .start()) {
 *     // connect a client to server.uri() ...
 *     ScriptedWebSocketConnection connection = server.awaitConnection(Duration.ofSeconds(5));
 *     connection.sendText("{\"type\":\"next\",\"id\":\"unknown\",\"payload\":{\"data\":{}}}");
 *     connection.close(4400, "Invalid message received");
 *     assertThat(connection.awaitCloseFromClient(Duration.ofSeconds(5)).code()).isEqualTo(4400);
 * }
 * }</pre>
 *
 * <h2>Why plain sockets</h2>
 * The server implements the small part of RFC 6455 it needs (the opening handshake, masked client
 * frames, unmasked server frames) on a {@link ServerSocket} instead of using Vert.x, because
 * Vert.x answers ping frames with pongs by itself, with no way to turn it off, so it cannot play a
 * half-open peer; it also chooses the subprotocol from a fixed server-wide list and decides how
 * messages are split into frames. Here every byte is the test's choice.
 *
 * <h2>Threads</h2>
 * One daemon thread accepts connections and one reads each connection; they are named
 * {@code scripted-ws-…}. Handlers run on the connection's reader thread, one message at a time;
 * they may send and close. {@link #close()} closes every socket and waits (boundedly) for the
 * threads to end.
 */
public final class ScriptedWebSocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptedWebSocketServer.class);
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final Builder config;
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final String name;
    private final List<ScriptedWebSocketConnection> connections = new ArrayList<>();
    private int handedOut;
    private volatile boolean closed;

    private ScriptedWebSocketServer(Builder config) throws IOException {
        this.config = config;
        this.serverSocket = new ServerSocket();
        this.serverSocket.setReuseAddress(true);
        this.serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.name = "scripted-ws-" + SERVERS.incrementAndGet();
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A builder; every setting has a default given on its method. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint, {@code ws://127.0.0.1:PORT/graphql} (the path is configurable). */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + config.path);
    }

    /** The port the server listens on. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /**
     * Waits for the next connection that completed its opening handshake (accepted or refused),
     * in the order they arrived; each connection is returned once.
     *
     * @throws AssertionError if none arrived within {@code timeout}
     */
    public synchronized ScriptedWebSocketConnection awaitConnection(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handedOut >= connections.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No WebSocket connection within " + timeout.toMillis() + " ms on " + uri()
                        + " (" + connections.size() + " so far)");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for a connection", e);
            }
        }
        return connections.get(handedOut++);
    }

    /** Every connection that completed its opening handshake so far (accepted or refused), in order. */
    public synchronized List<ScriptedWebSocketConnection> connections() {
        return List.copyOf(connections);
    }

    /** Stops accepting, closes every connection's socket (no close frame) and waits for the threads. */
    @Override
    public void close() {
        List<ScriptedWebSocketConnection> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(connections);
            notifyAll();
        }
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("Closing the server socket failed", e);
        }
        for (ScriptedWebSocketConnection connection : all) {
            connection.dropConnection();
        }
        join(acceptor);
        for (ScriptedWebSocketConnection connection : all) {
            join(connection.reader());
        }
        synchronized (pendingSockets) {
            for (Socket socket : pendingSockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {} ms", thread.getName(), JOIN_TIMEOUT.toMillis());
        }
    }

    @Override
    public String toString() {
        return "ScriptedWebSocketServer{" + uri() + '}';
    }

    private final List<Socket> pendingSockets = new ArrayList<>();
    private final AtomicInteger connectionNumbers = new AtomicInteger();

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{} stopped accepting", name, e);
                }
                return;
            }
            Thread reader = new Thread(() -> serve(socket), name + "-conn-" + connectionNumbers.incrementAndGet());
            reader.setDaemon(true);
            synchronized (pendingSockets) {
                pendingSockets.add(socket);
            }
            reader.start();
        }
    }

    private void serve(Socket socket) {
        ScriptedWebSocketConnection connection = null;
        try {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Handshake handshake = readHandshake(in);
            if (handshake == null) {
                closeQuietly(socket);
                return;
            }
            String selected = null;
            boolean refused = config.refuseStatus > 0 && config.refuseWhen.test(handshake.offered) || handshake.key == null;
            if (!refused) {
                selected = config.subprotocolSelector.apply(handshake.offered);
                if (selected != null && selected.isEmpty()) {
                    selected = null;
                }
            }
            connection = new ScriptedWebSocketConnection(socket, in, handshake.headers, handshake.offered, selected,
                    refused, config.answerPings, config.onMessage, Thread.currentThread());
            if (refused) {
                int status = config.refuseStatus > 0 ? config.refuseStatus : 400;
                byte[] body = ("Refused by the scripted server with " + status).getBytes(StandardCharsets.UTF_8);
                String response = "HTTP/1.1 " + status + " Refused\r\nContent-Type: text/plain\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n";
                // Recorded before the answer goes out: a client that sees the refusal finds it in connections().
                register(connection);
                socket.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();
                connection.markClosed(1006, "");
                closeQuietly(socket);
                return;
            }
            StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Accept: ").append(ScriptedWebSocketConnection.acceptKey(handshake.key))
                    .append("\r\n");
            if (selected != null) {
                response.append("Sec-WebSocket-Protocol: ").append(selected).append("\r\n");
            }
            response.append("\r\n");
            connection.writeRaw(response.toString().getBytes(StandardCharsets.ISO_8859_1));
            register(connection);
            if (config.onConnect != null) {
                config.onConnect.accept(connection);
            }
            connection.readLoop();
        } catch (IOException | UncheckedIOException e) {
            if (!closed) {
                LOG.debug("{} ended: {}", Thread.currentThread().getName(), e.toString());
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("A handler of {} failed", name, e);
        } finally {
            if (connection != null) {
                connection.markClosed(1006, "");
            }
            closeQuietly(socket);
            synchronized (pendingSockets) {
                pendingSockets.remove(socket);
            }
        }
    }

    private synchronized void register(ScriptedWebSocketConnection connection) {
        connections.add(connection);
        notifyAll();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private record Handshake(Map<String, List<String>> headers, List<String> offered, String key) {
    }

    private static Handshake readHandshake(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (head.size() > 64 * 1024) {
                throw new IOException("Opening handshake larger than 64 KiB");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        List<String> offered = new ArrayList<>();
        for (String value : headers.getOrDefault("sec-websocket-protocol", List.of())) {
            Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(offered::add);
        }
        List<String> keys = headers.getOrDefault("sec-websocket-key", List.of());
        return new Handshake(headers, List.copyOf(offered), keys.isEmpty() ? null : keys.get(0));
    }

    /**
     * Builds a {@link ScriptedWebSocketServer}. Not thread-safe.
     */
    public static final class Builder {
        private Function<List<String>, String> subprotocolSelector = offered -> null;
        private int refuseStatus;
        private Predicate<List<String>> refuseWhen = offered -> true;
        private boolean answerPings = true;
        private String path = "/graphql";
        private Consumer<ScriptedWebSocketConnection> onConnect;
        private BiConsumer<ScriptedWebSocketConnection, String> onMessage;

        private Builder() {
        }

        /**
         * The subprotocols the server accepts: it selects the first one the client offered (in the
         * client's order) that is in this list, and answers with no {@code Sec-WebSocket-Protocol}
         * header when none matches (as Vert.x does). Default: none accepted, so the handshake
         * carries no subprotocol.
         */
        public Builder subprotocols(String... accepted) {
            List<String> list = List.of(accepted);
            this.subprotocolSelector = offered -> offered.stream().filter(list::contains).findFirst().orElse(null);
            return this;
        }

        /**
         * Chooses the subprotocol from the list the client offered; {@code null} or empty means no
         * {@code Sec-WebSocket-Protocol} header. It may return one the client did not offer.
         * Replaces {@link #subprotocols}.
         */
        public Builder subprotocolSelector(Function<List<String>, String> selector) {
            this.subprotocolSelector = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /** Refuses every opening handshake with this HTTP status (e.g. 400, 401, 426). Default: accept. */
        public Builder refuseHandshake(int status) {
            return refuseHandshake(status, offered -> true);
        }

        /**
         * Refuses the opening handshakes whose offered subprotocols match {@code when} with this
         * HTTP status, e.g. to refuse a protocol: {@code refuseHandshake(400, offered ->
         * offered.contains("graphql-transport-ws"))}. Default: accept.
         */
        public Builder refuseHandshake(int status, Predicate<List<String>> when) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("Not a refusal status: " + status);
            }
            this.refuseStatus = status;
            this.refuseWhen = Objects.requireNonNull(when, "when");
            return this;
        }

        /**
         * Whether new connections answer ping frames with pong frames; each connection can change
         * it with {@link ScriptedWebSocketConnection#answerPings(boolean)}. Default {@code true}.
         */
        public Builder answerPings(boolean answerPings) {
            this.answerPings = answerPings;
            return this;
        }

        /** The path in {@link #uri()}; requests for any path are served. Default {@code /graphql}. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path").startsWith("/") ? path : "/" + path;
            return this;
        }

        /** Runs after an accepted handshake, before any message is read. Default: nothing. */
        public Builder onConnect(Consumer<ScriptedWebSocketConnection> onConnect) {
            this.onConnect = Objects.requireNonNull(onConnect, "onConnect");
            return this;
        }

        /**
         * Runs for each complete text message received (after it is recorded), on the connection's
         * reader thread. Default: nothing; the test drives the connection itself.
         */
        public Builder onMessage(BiConsumer<ScriptedWebSocketConnection, String> onMessage) {
            this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
            return this;
        }

        /** Starts the server on a free port of {@code 127.0.0.1}. */
        public ScriptedWebSocketServer start() {
            try {
                return new ScriptedWebSocketServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the scripted WebSocket server", e);
            }
        }
    }
}
