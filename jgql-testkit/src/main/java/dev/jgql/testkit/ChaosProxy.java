package dev.jgql.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on loopback in front of a backend, with faults switchable at run time: refuse new
 * connections, hold traffic as a half-open link would, add latency, reset connections now, at
 * random (reproducibly, from a seed) or after a number of bytes. It forwards bytes and knows
 * nothing of HTTP, so WebSocket upgrades and any other protocol pass through unchanged.
 *
 * <pre>{@code
 * try (ChaosProxy proxy = ChaosProxy.start(backendPort)) {
 *     URI endpoint = proxy.httpUri("/graphql");       // point the client here
 *     proxy.mode(ChaosProxy.Mode.REFUSE);              // new connections: "Connection refused"
 *     proxy.killAll();                                 // existing ones: reset now
 *     proxy.mode(ChaosProxy.Mode.PASS);                // the backend is "back"
 * }
 * }</pre>
 *
 * <p>What a client sees, per fault:
 * <ul>
 *   <li>{@link Mode#REFUSE}: the listening socket is closed, so the kernel answers a SYN with RST:
 *       {@code java.net.ConnectException: Connection refused} before any request byte is sent.
 *       Leaving REFUSE binds the same port again. Connections already open are not touched.</li>
 *   <li>{@link Mode#BLACKHOLE}: connections are accepted (the kernel completes the handshake) but
 *       nothing is forwarded or answered in either direction, and nothing is closed: the client
 *       sees a half-open link and only its own timeout ends the wait. Data read meanwhile is held,
 *       not dropped, and delivered when the mode changes, as TCP retransmission would.</li>
 *   <li>{@link Mode#latency}: every chunk waits the given time before it is forwarded.</li>
 *   <li>A backend that is down (its port refuses) while the proxy is in PASS: the proxy has already
 *       accepted the client, so it waits for the client's first bytes and then resets it, like a
 *       TCP load balancer: an {@code IOException} after the request was (partly) sent, never a
 *       {@code ConnectException}. Use REFUSE when the client must see a refused connection.</li>
 *   <li>{@link #killAll()}, {@link #killRandomly}, {@link #killAfterBytes}: both sides get a TCP
 *       reset ({@code SO_LINGER 0}): {@code java.net.SocketException: Connection reset} or a
 *       broken pipe, never a clean end of stream.</li>
 * </ul>
 *
 * <p>Built on blocking {@code java.net} sockets with two daemon threads per connection (one per
 * direction), named {@code jgql-testkit-chaos-<port>-…}, rather than NIO or Vert.x: resets are
 * byte-exact ({@code SO_LINGER 0} then close, even while the other direction is mid-write), holding
 * a chunk is a plain wait, the random kills are drawn per direction in stream order so they do not
 * depend on thread timing, and every thread is ours to name and join on {@link #close()}. The cost,
 * two small-stack threads per connection, is fine for the hundreds of connections a test opens.
 *
 * <p>Thread-safe: every method may be called from any thread while traffic flows.
 */
public final class ChaosProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChaosProxy.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int BACKLOG = 1024;
    private static final int BUFFER = 16 * 1024;
    private static final long THREAD_STACK = 256 * 1024;

    private final int port;
    private final String threadPrefix;
    private final String targetHost;
    /** Serialises mode switches, which may wait for the old acceptor thread outside {@link #lock}. */
    private final Object modeSwitch = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a mode, a connection's liveness or the proxy's state changes. */
    private final Condition changed = lock.newCondition();
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong totalConnections = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private volatile InetSocketAddress target;
    private volatile KillRule killRule = KillRule.NONE;
    private ServerSocket listener; // guarded by lock; null while refusing or closed
    private Thread acceptor; // guarded by lock; the thread accepting on listener
    private boolean closed; // guarded by lock

    private ChaosProxy(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.port = listener.getLocalPort();
        this.threadPrefix = "jgql-testkit-chaos-" + port + "-";
        this.targetHost = targetHost;
        this.target = new InetSocketAddress(targetHost, targetPort);
    }

    /**
     * Starts a proxy on {@code 127.0.0.1} on a free port, in {@link Mode#PASS}, forwarding to
     * {@code 127.0.0.1:targetPort}.
     *
     * <pre>{@code
     * ChaosProxy proxy = ChaosProxy.start(backend.port());
     * }</pre>
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static ChaosProxy start(int targetPort) {
        return start("127.0.0.1", targetPort);
    }

    /**
     * Starts a proxy on {@code 127.0.0.1} on a free port, in {@link Mode#PASS}, forwarding to
     * {@code targetHost:targetPort} (resolved for each new connection).
     *
     * <pre>{@code
     * ChaosProxy proxy = ChaosProxy.start("localhost", 8080);
     * }</pre>
     *
     * @throws UncheckedIOException if no port can be bound
     */
    public static ChaosProxy start(String targetHost, int targetPort) {
        checkPort(targetPort);
        ChaosProxy proxy = new ChaosProxy(bind(0), Objects.requireNonNull(targetHost, "targetHost"), targetPort);
        proxy.lock.lock();
        try {
            proxy.acceptor = proxy.spawnAcceptor(proxy.listener);
        } finally {
            proxy.lock.unlock();
        }
        return proxy;
    }

    /**
     * The proxy's port on {@code 127.0.0.1}; it stays the same across {@link Mode#REFUSE}.
     *
     * <pre>{@code
     * Socket socket = new Socket("127.0.0.1", proxy.port());
     * }</pre>
     */
    public int port() {
        return port;
    }

    /**
     * {@code scheme://127.0.0.1:PORT path}.
     *
     * <pre>{@code
     * URI uri = proxy.uri("https", "/graphql");   // TLS passes through: the proxy only sees bytes
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code path} does not start with {@code /}
     */
    public URI uri(String scheme, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /**
     * {@code http://127.0.0.1:PORT path}.
     *
     * <pre>{@code
     * HttpTransport.builder(proxy.httpUri("/graphql")).build();
     * }</pre>
     */
    public URI httpUri(String path) {
        return uri("http", path);
    }

    /**
     * {@code ws://127.0.0.1:PORT path}.
     *
     * <pre>{@code
     * httpClient.newWebSocketBuilder().buildAsync(proxy.webSocketUri("/graphql"), listener);
     * }</pre>
     */
    public URI webSocketUri(String path) {
        return uri("ws", path);
    }

    /**
     * The current mode.
     *
     * <pre>{@code
     * assertThat(proxy.mode()).isEqualTo(ChaosProxy.Mode.PASS);
     * }</pre>
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Switches mode; it takes effect for every connection at its next chunk, and for
     * {@link Mode#REFUSE} at once for new connections (the listener is closed before this returns).
     *
     * <pre>{@code
     * proxy.mode(ChaosProxy.Mode.BLACKHOLE);
     * proxy.mode(ChaosProxy.Mode.latency(Duration.ofMillis(50)));
     * proxy.mode(ChaosProxy.Mode.PASS);
     * }</pre>
     *
     * @throws UncheckedIOException if leaving REFUSE and the port was taken meanwhile by another
     *                              socket (the proxy then stays in REFUSE)
     * @throws IllegalStateException if the proxy is closed
     */
    public void mode(Mode newMode) {
        Objects.requireNonNull(newMode, "mode");
        synchronized (modeSwitch) {
            Thread stoppedAcceptor = null;
            lock.lock();
            try {
                requireOpen();
                if (newMode.kind == Kind.REFUSE && listener != null) {
                    // Closing the listener is what makes the kernel answer RST to a SYN ("Connection
                    // refused"); accepting and resetting would let the client send its request first.
                    closeQuietly(listener);
                    stoppedAcceptor = acceptor;
                    listener = null;
                    acceptor = null;
                } else if (newMode.kind != Kind.REFUSE && listener == null) {
                    listener = bind(port);
                    acceptor = spawnAcceptor(listener);
                }
                mode = newMode;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (stoppedAcceptor != null) {
                awaitAcceptorExit(stoppedAcceptor);
            }
        }
    }

    /**
     * On Linux a listening socket closed while a thread is blocked in {@code accept} stays open in
     * the kernel (still completing handshakes) until that call returns; only once the acceptor
     * thread has left it is the port really refusing.
     */
    private void awaitAcceptorExit(Thread stoppedAcceptor) {
        try {
            stoppedAcceptor.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while ChaosProxy on port " + port + " stopped accepting", e);
        }
        if (stoppedAcceptor.isAlive()) {
            throw new IllegalStateException("ChaosProxy on port " + port + " still accepting "
                    + CLOSE_TIMEOUT.toMillis() + " ms after REFUSE");
        }
    }

    /**
     * Resets every live connection now, on both sides (client and backend).
     *
     * <pre>{@code
     * proxy.killAll();   // client: SocketException "Connection reset" on its next read
     * }</pre>
     */
    public void killAll() {
        for (Connection connection : List.copyOf(live)) {
            kill(connection);
        }
    }

    /**
     * From now on, each chunk a new connection forwards (one read, in either direction) has the
     * given probability of resetting the connection instead (the chunk is dropped). Connections
     * accepted before this call are not affected; the rule replaces any earlier kill rule.
     *
     * <p>Reproducible: the draws of the n-th connection accepted after this call come from
     * generators seeded with {@code seed}, {@code n} and the direction, in stream order. So the same
     * seed kills the same connections at the same chunks whenever the traffic is chunked the same
     * way, as in request/response exchanges where each side writes a message at once and waits
     * for the answer. Timing and concurrency of other connections do not matter; the order in which
     * connections are accepted does.
     *
     * <pre>{@code
     * proxy.killRandomly(0.05, 42L);   // about one chunk in twenty resets its connection
     * }</pre>
     *
     * @throws IllegalArgumentException unless {@code 0 <= probability <= 1}
     */
    public void killRandomly(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1, got " + probability);
        }
        killRule = new KillRule(probability, seed, Long.MAX_VALUE, totalConnections.get());
    }

    /**
     * From now on, each new connection forwards at most {@code bytes} bytes, counting both
     * directions together, and is reset when it would forward more: the chunk that crosses the
     * limit is forwarded up to it, then both sides are reset. Connections accepted before this call
     * are not affected; the rule replaces any earlier kill rule.
     *
     * <pre>{@code
     * proxy.killAfterBytes(0);                 // reset as soon as the client sends anything
     * proxy.killAfterBytes(requestLength);     // the backend gets the whole request, the client no answer
     * proxy.killAfterBytes(requestLength + 20) // the answer is cut after 20 bytes
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public void killAfterBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
        killRule = new KillRule(0, 0, bytes, totalConnections.get());
    }

    /**
     * Removes the kill rule set by {@link #killRandomly} or {@link #killAfterBytes}, for every
     * connection, live or new.
     *
     * <pre>{@code
     * proxy.stopKilling();
     * }</pre>
     */
    public void stopKilling() {
        killRule = KillRule.NONE;
    }

    /**
     * How many connections are open through the proxy now (accepted and not yet closed or reset).
     *
     * <pre>{@code
     * assertThat(proxy.liveConnections()).isZero();   // the client released its sockets
     * }</pre>
     */
    public int liveConnections() {
        return live.size();
    }

    /**
     * How many connections the proxy has accepted since it started.
     *
     * <pre>{@code
     * assertThat(proxy.totalConnections()).isEqualTo(2);   // one reconnect, not a storm
     * }</pre>
     */
    public long totalConnections() {
        return totalConnections.get();
    }

    /**
     * Sends new connections to another backend port on the same host, for a backend restarted
     * elsewhere; live connections keep their backend.
     *
     * <pre>{@code
     * backend.close();
     * backend = startBackendOn(0);
     * proxy.retarget(backend.port());
     * }</pre>
     */
    public void retarget(int targetPort) {
        checkPort(targetPort);
        target = new InetSocketAddress(targetHost, targetPort);
    }

    /**
     * Closes the listener, resets every connection on both sides and waits at most 5 s for the
     * proxy's threads to end. Idempotent.
     *
     * <pre>{@code
     * try (ChaosProxy proxy = ChaosProxy.start(port)) { ... }
     * }</pre>
     *
     * @throws IllegalStateException if a proxy thread is still alive after 5 s
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                if (listener != null) {
                    closeQuietly(listener);
                    listener = null;
                    acceptor = null;
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        // No thread is spawned once closed is set, so this snapshot holds every thread there will be.
        killAll();
        Threads.joinAll(threads, CLOSE_TIMEOUT, "ChaosProxy");
    }

    @Override
    public String toString() {
        return "ChaosProxy[127.0.0.1:" + port + " -> " + target.getHostString() + ":" + target.getPort()
                + ", " + mode + ", live=" + live.size() + ", total=" + totalConnections.get() + "]";
    }

    // -------------------------------------------------------------------------------------------

    private static ServerSocket bind(int port) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            // Lets the port be bound again after REFUSE even while old connections sit in TIME_WAIT.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
            return socket;
        } catch (IOException e) {
            if (socket != null) {
                closeQuietly(socket);
            }
            throw new UncheckedIOException(port == 0 ? "ChaosProxy could not bind a loopback port"
                    : "ChaosProxy could not bind port " + port + " again after REFUSE; another socket took it", e);
        }
    }

    /** Call with the lock held. */
    private Thread spawnAcceptor(ServerSocket socket) {
        return spawn("accept", () -> acceptLoop(socket));
    }

    private void acceptLoop(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                // Closed by REFUSE or close(): the normal way out.
                if (!socket.isClosed()) {
                    log.warn("ChaosProxy on port {} stopped accepting", port, e);
                }
                return;
            }
            long ordinal = totalConnections.getAndIncrement();
            Connection connection = new Connection(ordinal, client, killRule);
            lock.lock();
            try {
                if (closed) {
                    rst(client);
                    return;
                }
                live.add(connection);
                spawn("conn-" + ordinal + "-up", () -> runUpstream(connection));
            } finally {
                lock.unlock();
            }
        }
    }

    /** Connects to the backend, starts the downstream pump, then pumps client to backend. */
    private void runUpstream(Connection connection) {
        // A half-open link is not established end to end: the backend sees nothing until it heals.
        if (!awaitNotBlackhole(connection)) {
            return;
        }
        Socket upstream = new Socket();
        if (!connection.attachUpstream(upstream)) {
            return;
        }
        InetSocketAddress address = target;
        try {
            upstream.setTcpNoDelay(true);
            connection.client.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(address.getHostString(), address.getPort()), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            // The client is already connected, so a refused backend can only show up as a reset.
            // Resetting once the client has sent something (as a TCP load balancer would) makes that
            // deterministic: reset at once, it would race the client's own connect completion.
            log.debug("ChaosProxy on port {}: backend {} unreachable: {}", port, address, e.toString());
            try {
                connection.client.getInputStream().read();
            } catch (IOException ignored) {
                // Killed, closed, or the client gave up: the reset below is all that is left to do.
            }
            kill(connection);
            return;
        }
        lock.lock();
        try {
            if (closed || connection.isDead()) {
                return;
            }
            spawn("conn-" + connection.ordinal + "-down", () -> pump(connection, upstream, connection.client, false));
        } finally {
            lock.unlock();
        }
        pump(connection, connection.client, upstream, true);
    }

    private void pump(Connection connection, Socket from, Socket to, boolean upstream) {
        byte[] buffer = new byte[BUFFER];
        SplittableRandom random = upstream ? connection.upRandom : connection.downRandom;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    if (!connection.isDead()) {
                        to.shutdownOutput();
                        finishDirection(connection);
                    }
                    return;
                }
                int allowed = n;
                boolean killAfter = false;
                KillRule rule = killRule;
                if (rule == connection.rule && rule != KillRule.NONE) {
                    if (rule.probability > 0 && random.nextDouble() < rule.probability) {
                        kill(connection);
                        return;
                    }
                    long before = connection.forwarded.getAndAdd(n);
                    if (before + n > rule.maxBytes) {
                        allowed = (int) Math.max(0, rule.maxBytes - before);
                        killAfter = true;
                    }
                }
                Duration latency = mode.latency;
                if (!latency.isZero() && !awaitDelay(connection, latency)) {
                    return;
                }
                if (!awaitNotBlackhole(connection)) {
                    return;
                }
                if (allowed > 0) {
                    out.write(buffer, 0, allowed);
                }
                if (killAfter) {
                    kill(connection);
                    return;
                }
            }
        } catch (IOException e) {
            // A reset or error on one side is passed on as a reset of the other, as a real link would.
            if (!connection.isDead()) {
                log.debug("ChaosProxy on port {}: connection {} failed: {}", port, connection.ordinal, e.toString());
                kill(connection);
            }
        }
    }

    /** Waits while the proxy is in BLACKHOLE; {@code false} if the connection died meanwhile. */
    private boolean awaitNotBlackhole(Connection connection) {
        if (mode.kind != Kind.BLACKHOLE) {
            return !connection.isDead();
        }
        lock.lock();
        try {
            while (mode.kind == Kind.BLACKHOLE && !connection.isDead() && !closed) {
                changed.awaitUninterruptibly();
            }
            return !connection.isDead() && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code delay} of real time; {@code false} if the connection died meanwhile. */
    private boolean awaitDelay(Connection connection, Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        lock.lock();
        try {
            long left;
            while ((left = deadline - System.nanoTime()) > 0 && !connection.isDead() && !closed) {
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !connection.isDead() && !closed;
        } finally {
            lock.unlock();
        }
    }

    private void finishDirection(Connection connection) {
        if (connection.finishDirection()) {
            closeQuietly(connection.client);
            Socket upstream = connection.upstream();
            if (upstream != null) {
                closeQuietly(upstream);
            }
            live.remove(connection);
            signal();
        }
    }

    private void kill(Connection connection) {
        if (!connection.markDead()) {
            return;
        }
        rst(connection.client);
        // Once dead, no upstream socket can be attached any more, so this one is final.
        Socket upstream = connection.upstream();
        if (upstream != null) {
            rst(upstream);
        }
        live.remove(connection);
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Call with the lock held, after checking that the proxy is open. */
    private Thread spawn(String name, Runnable task) {
        // Threads stay tracked until dead (not until their task returns), so close() can join them.
        threads.removeIf(thread -> !thread.isAlive());
        Thread thread = new Thread(null, task, threadPrefix + name, THREAD_STACK);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
        return thread;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("ChaosProxy on port " + port + " is closed");
        }
    }

    private static void rst(Socket socket) {
        try {
            // SO_LINGER 0 makes close() send RST and drop unsent data, instead of a graceful FIN.
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Already closed: nothing left to reset.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing during teardown or after a reset: the failure carries no information.
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }

    private enum Kind { PASS, REFUSE, BLACKHOLE, LATENCY }

    /**
     * How the proxy treats traffic: {@link #PASS}, {@link #REFUSE}, {@link #BLACKHOLE} or
     * {@link #latency(Duration) latency}. Immutable value; compare with {@code equals}.
     *
     * <pre>{@code
     * proxy.mode(ChaosProxy.Mode.latency(Duration.ofMillis(100)));
     * }</pre>
     */
    public static final class Mode {
        /** Forward both ways, unchanged. */
        public static final Mode PASS = new Mode(Kind.PASS, Duration.ZERO);
        /** Refuse new connections ("Connection refused"); existing ones keep working. */
        public static final Mode REFUSE = new Mode(Kind.REFUSE, Duration.ZERO);
        /** Accept, keep open, and forward or send nothing: a half-open link. */
        public static final Mode BLACKHOLE = new Mode(Kind.BLACKHOLE, Duration.ZERO);

        private final Kind kind;
        private final Duration latency;

        private Mode(Kind kind, Duration latency) {
            this.kind = kind;
            this.latency = latency;
        }

        /**
         * Forward both ways, each chunk after waiting {@code perChunk} of real time. Chunks queue
         * behind one another, so a response that arrives in k chunks is delayed by about k times
         * {@code perChunk}; assert lower bounds only.
         *
         * <pre>{@code
         * proxy.mode(ChaosProxy.Mode.latency(Duration.ofMillis(50)));
         * }</pre>
         *
         * @throws IllegalArgumentException if {@code perChunk} is negative
         */
        public static Mode latency(Duration perChunk) {
            if (perChunk.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative: " + perChunk);
            }
            return new Mode(Kind.LATENCY, perChunk);
        }

        /**
         * {@code PASS}, {@code REFUSE}, {@code BLACKHOLE} or {@code LATENCY}.
         *
         * <pre>{@code
         * if (proxy.mode().name().equals("LATENCY")) { ... }
         * }</pre>
         */
        public String name() {
            return kind.name();
        }

        /**
         * The added delay per chunk; zero unless this is a {@link #latency(Duration) latency} mode.
         *
         * <pre>{@code
         * Duration added = proxy.mode().latency();
         * }</pre>
         */
        public Duration latency() {
            return latency;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Mode mode && mode.kind == kind && mode.latency.equals(latency);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + latency.hashCode();
        }

        @Override
        public String toString() {
            return kind == Kind.LATENCY ? "LATENCY(" + latency.toMillis() + " ms)" : kind.name();
        }
    }

    /** A kill rule and the connections it governs: those accepted after it was set. */
    private static final class KillRule {
        static final KillRule NONE = new KillRule(0, 0, Long.MAX_VALUE, Long.MAX_VALUE);

        final double probability;
        final long seed;
        final long maxBytes;
        final long firstOrdinal;

        KillRule(double probability, long seed, long maxBytes, long firstOrdinal) {
            this.probability = probability;
            this.seed = seed;
            this.maxBytes = maxBytes;
            this.firstOrdinal = firstOrdinal;
        }

        SplittableRandom random(long ordinal, boolean upstream) {
            // Hashing (seed, n, direction) keeps the streams of neighbouring connections unrelated,
            // which consecutive SplittableRandom seeds would not be.
            long n = ordinal - firstOrdinal;
            return new SplittableRandom(mix(seed ^ mix(n * 2 + (upstream ? 0 : 1) + 0x632BE59BD9B4E019L)));
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    private static final class Connection {
        final long ordinal;
        final Socket client;
        final KillRule rule;
        final SplittableRandom upRandom;
        final SplittableRandom downRandom;
        final AtomicLong forwarded = new AtomicLong();
        private Socket upstream; // guarded by this
        private boolean dead; // guarded by this
        private int finishedDirections; // guarded by this

        Connection(long ordinal, Socket client, KillRule rule) {
            this.ordinal = ordinal;
            this.client = client;
            // Rules set before this connection existed govern it; later rules do not.
            this.rule = ordinal >= rule.firstOrdinal ? rule : KillRule.NONE;
            this.upRandom = rule.random(ordinal, true);
            this.downRandom = rule.random(ordinal, false);
        }

        synchronized boolean attachUpstream(Socket socket) {
            if (dead) {
                return false;
            }
            upstream = socket;
            return true;
        }

        synchronized Socket upstream() {
            return upstream;
        }

        synchronized boolean isDead() {
            return dead;
        }

        /** {@code false} if it already was dead. */
        synchronized boolean markDead() {
            if (dead) {
                return false;
            }
            dead = true;
            return true;
        }

        /** {@code true} when both directions have ended cleanly. */
        synchronized boolean finishDirection() {
            finishedDirections++;
            if (finishedDirections == 2 && !dead) {
                dead = true;
                return true;
            }
            return false;
        }
    }
}
