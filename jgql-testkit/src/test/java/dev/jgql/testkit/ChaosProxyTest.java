package dev.jgql.testkit;

import com.sun.net.httpserver.HttpServer;
import dev.jgql.testkit.ChaosProxy.Mode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class ChaosProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** One client for the class: JDK 17 clients cannot be closed, so each new one leaves a selector thread until GC. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private EchoServer echo;
    private ChaosProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start(0, "");
        proxy = ChaosProxy.start(echo.port());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            proxy.close();
        } finally {
            echo.close();
        }
        assertThat(proxyThreads()).isEmpty();
    }

    @Test
    void passForwardsBothWaysAndCountsConnections() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            assertThat(roundTrip(first, "hello")).isEqualTo("hello");
            assertThat(roundTrip(second, "world")).isEqualTo("world");
            assertThat(roundTrip(first, "again")).isEqualTo("again");
            assertThat(proxy.liveConnections()).isEqualTo(2);
            assertThat(proxy.totalConnections()).isEqualTo(2);
        }
        await(() -> proxy.liveConnections() == 0);
        assertThat(proxy.totalConnections()).isEqualTo(2);
        assertThat(echo.endings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("eof");
    }

    @Test
    void passCarriesHttpForTheJdkClient() throws Exception {
        HttpServer backend = httpBackend(new AtomicInteger());
        try (ChaosProxy http = ChaosProxy.start(backend.getAddress().getPort())) {
            HttpResponse<String> response = send(http.httpUri("/graphql"), null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"data\":{\"echo\":\"{\\\"query\\\":\\\"{a}\\\"}\"}}");
        } finally {
            stopBackend(backend);
        }
    }

    @Test
    void refuseMakesNewConnectionsFailToConnectBeforeAnyByteIsSent() throws Exception {
        try (Socket existing = connect()) {
            assertThat(roundTrip(existing, "before")).isEqualTo("before");
            proxy.mode(Mode.REFUSE);

            assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class).hasMessageContaining("Connection refused");
            assertThatThrownBy(() -> send(proxy.httpUri("/graphql"), null))
                    .isExactlyInstanceOf(ConnectException.class);
            assertThat(echo.accepted.get()).isEqualTo(1);
            assertThat(roundTrip(existing, "during")).isEqualTo("during"); // existing links are untouched

            proxy.mode(Mode.PASS);
            try (Socket after = connect()) {
                assertThat(roundTrip(after, "after")).isEqualTo("after");
            }
        }
        assertThat(proxy.mode()).isEqualTo(Mode.PASS);
    }

    @Test
    void refuseTakesEffectBeforeModeReturnsEveryTime() throws Exception {
        // A listener closed under a thread blocked in accept() lingers in the kernel until that call
        // returns; switching back and forth catches a mode() that returns too early.
        for (int i = 0; i < 20; i++) {
            proxy.mode(Mode.REFUSE);
            assertThatThrownBy(this::connect).as("cycle %d", i).isInstanceOf(ConnectException.class);
            proxy.mode(Mode.PASS);
            try (Socket socket = connect()) {
                assertThat(roundTrip(socket, "cycle")).isEqualTo("cycle");
            }
        }
    }

    @Test
    void blackholeLetsOnlyTheClientsTimeoutEndARequest() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer backend = httpBackend(requests);
        try (ChaosProxy http = ChaosProxy.start(backend.getAddress().getPort())) {
            http.mode(Mode.BLACKHOLE);
            // The one real short wait in these tests: a half-open link is, by definition, only ended
            // by the client's own timer, so the test must let a real 300 ms timeout fire.
            assertThatThrownBy(() -> send(http.httpUri("/graphql"), Duration.ofMillis(300)))
                    .isInstanceOf(HttpTimeoutException.class)
                    .hasMessage("request timed out");
            assertThat(requests.get()).isZero();
        } finally {
            stopBackend(backend);
        }
    }

    @Test
    void blackholeHoldsDataOfNewAndExistingConnectionsAndDeliversItWhenTheLinkHeals() throws Exception {
        try (Socket existing = connect()) {
            assertThat(roundTrip(existing, "one")).isEqualTo("one");
            proxy.mode(Mode.BLACKHOLE);
            try (Socket fresh = connect()) {
                write(existing, "two");
                write(fresh, "three");
                existing.setSoTimeout(200); // real wait: nothing may come back while the link is "down"
                assertThatThrownBy(() -> existing.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                existing.setSoTimeout((int) WAIT.toMillis());
                assertThat(echo.accepted.get()).isEqualTo(1); // the half-open link never reached the backend

                proxy.mode(Mode.PASS);
                assertThat(read(existing, 3)).isEqualTo("two");
                assertThat(read(fresh, 5)).isEqualTo("three");
                assertThat(proxy.liveConnections()).isEqualTo(2);
            }
        }
    }

    @Test
    void killAllResetsBothSidesOfEveryLiveConnection() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            assertThat(roundTrip(first, "a")).isEqualTo("a");
            assertThat(roundTrip(second, "b")).isEqualTo("b");

            proxy.killAll();

            assertThatThrownBy(() -> first.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessage("Connection reset");
            assertThatThrownBy(() -> second.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessage("Connection reset");
            assertThat(echo.endings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("Connection reset");
            assertThat(echo.endings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("Connection reset");
            assertThat(proxy.liveConnections()).isZero();
        }
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "still serving")).isEqualTo("still serving");
        }
    }

    @Test
    void killAllShowsAsAnIOExceptionOnAnOpenWebSocket() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            io.vertx.core.http.HttpServer server = vertx.createHttpServer()
                    .webSocketHandler(socket -> socket.textMessageHandler(text -> socket.writeTextMessage("echo:" + text)))
                    .listen(0, "127.0.0.1").await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            try (ChaosProxy ws = ChaosProxy.start(server.actualPort())) {
                BlockingQueue<Object> events = new LinkedBlockingQueue<>();
                WebSocket socket = CLIENT.newWebSocketBuilder()
                        .buildAsync(ws.webSocketUri("/graphql"), new RecordingListener(events))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                socket.sendText("hello", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("echo:hello");

                ws.killAll();

                // SocketException "Connection reset" when the read sees the RST first, IOException
                // "Connection reset by peer" when a write does: classify by type, never by message.
                assertThat(events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                        .isInstanceOf(IOException.class)
                        .asString().contains("Connection reset");
            }
        } finally {
            vertx.close().await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void killRandomlyKillsSomeConnectionsAndNotOthersReproduciblyFromASeed() throws Exception {
        List<Integer> first = randomKillScenario(42L);
        List<Integer> again = randomKillScenario(42L);

        assertThat(again).isEqualTo(first);
        assertThat(first).contains(-1);                                     // some survived
        assertThat(first.stream().filter(failedAt -> failedAt >= 0).distinct().count())
                .isGreaterThan(1);                                         // others died, at various points
    }

    @Test
    void killRandomlyAppliesOnlyToConnectionsAcceptedAfterwardsAndStopKillingEndsIt() throws Exception {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "x")).isEqualTo("x");
            proxy.killRandomly(1.0, 1L);
            assertThat(roundTrip(before, "y")).isEqualTo("y");
            try (Socket after = connect()) {
                write(after, "z");
                assertThatThrownBy(() -> after.getInputStream().read()).isInstanceOf(SocketException.class);
            }
            proxy.stopKilling();
            try (Socket later = connect()) {
                assertThat(roundTrip(later, "w")).isEqualTo("w");
            }
        }
    }

    @Test
    void killAfterBytesCutsTheStreamAtAnExactByte() throws Exception {
        proxy.killAfterBytes(15);
        try (Socket socket = connect()) {
            write(socket, "0123456789");          // 10 bytes to the backend
            assertThat(read(socket, 5)).isEqualTo("01234"); // 5 of the 10 echoed bytes
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessage("Connection reset");
        }
        assertThat(echo.received.get()).isEqualTo(10);

        proxy.killAfterBytes(0);
        try (Socket socket = connect()) {
            write(socket, "never");
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
        }
        assertThat(echo.received.get()).isEqualTo(10);
    }

    @Test
    void latencyDelaysEveryChunkInBothDirections() throws Exception {
        try (Socket socket = connect()) {
            proxy.mode(Mode.latency(Duration.ofMillis(100)));
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
            // Lower bound only: one chunk each way, each held 100 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void retargetSendsNewConnectionsToTheNewBackendAndKeepsLiveOnes() throws Exception {
        try (EchoServer other = EchoServer.start(0, "B:"); Socket onA = connect()) {
            assertThat(roundTrip(onA, "a1")).isEqualTo("a1");
            proxy.retarget(other.port());
            try (Socket onB = connect()) {
                write(onB, "b1");
                assertThat(read(onB, 4)).isEqualTo("B:b1");
            }
            assertThat(roundTrip(onA, "a2")).isEqualTo("a2");
        }
    }

    @Test
    void aBackendThatIsDownLooksLikeAResetAfterConnectUntilItRestartsOnTheSamePort() throws Exception {
        int port = echo.port();
        echo.close();

        try (Socket socket = connect()) { // the proxy accepts: the client cannot see the backend is down
            write(socket, "lost");
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessage("Connection reset");
        }
        long before = proxy.totalConnections();
        assertThatThrownBy(() -> send(proxy.httpUri("/graphql"), null))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ConnectException.class); // the request was sent: "may have been applied"
        assertThat(proxy.totalConnections() - before).isOne(); // the JDK client did not retry the POST

        echo = EchoServer.start(port, "");
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "back")).isEqualTo("back");
        }
    }

    @Test
    void thousandHttpRequestsFromSixteenThreadsAllSucceed() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer backend = httpBackend(requests);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try (ChaosProxy http = ChaosProxy.start(backend.getAddress().getPort())) {
            AtomicInteger remaining = new AtomicInteger(1000);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                results.add(callers.submit(() -> {
                    int ok = 0;
                    while (remaining.getAndDecrement() > 0) {
                        ok += send(http.httpUri("/graphql"), WAIT).statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> result : results) {
                ok += result.get(30, TimeUnit.SECONDS);
            }
            assertThat(ok).isEqualTo(1000);
            assertThat(requests.get()).isEqualTo(1000);
            assertThat(http.totalConnections()).isBetween(1L, 1000L);
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            stopBackend(backend);
        }
    }

    @Test
    void hundredsOfConcurrentConnectionsStayOpenAndEcho() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket socket = connect();
                sockets.add(socket);
                write(socket, "m" + (1000 + i));
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(read(sockets.get(i), 5)).isEqualTo("m" + (1000 + i));
            }
            assertThat(proxy.liveConnections()).isEqualTo(300);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        await(() -> proxy.liveConnections() == 0);
    }

    @Test
    void closeResetsEveryConnectionAndLeavesNoThreadOrListener() throws Exception {
        try (Socket live = connect(); Socket held = connect()) {
            assertThat(roundTrip(live, "live")).isEqualTo("live");
            proxy.mode(Mode.BLACKHOLE);
            write(held, "held");
            try (Socket accepted = connect()) {
                await(() -> proxy.liveConnections() == 3);

                proxy.close();

                for (Socket socket : List.of(live, held, accepted)) {
                    assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
                }
            }
        }
        assertThat(proxyThreads()).isEmpty();
        assertThat(proxy.liveConnections()).isZero();
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> proxy.mode(Mode.PASS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(echo.endings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("Connection reset");
        proxy.close(); // idempotent
    }

    @Test
    void valuesAndArgumentsAreChecked() {
        assertThat(Mode.latency(Duration.ofMillis(5))).isEqualTo(Mode.latency(Duration.ofMillis(5)))
                .hasToString("LATENCY(5 ms)").isNotEqualTo(Mode.PASS);
        assertThat(Mode.latency(Duration.ofMillis(5)).name()).isEqualTo("LATENCY");
        assertThat(Mode.BLACKHOLE.latency()).isZero();
        assertThat(proxy.httpUri("/graphql")).isEqualTo(URI.create("http://127.0.0.1:" + proxy.port() + "/graphql"));
        assertThat(proxy.webSocketUri("/graphql")).isEqualTo(URI.create("ws://127.0.0.1:" + proxy.port() + "/graphql"));
        assertThatThrownBy(() -> proxy.uri("http", "graphql")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mode.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.killRandomly(1.5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.killRandomly(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.killAfterBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.retarget(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // -------------------------------------------------------------------------------------------

    /** For each of 30 sequential connections, the round trip (of 5) that failed, or -1. */
    private List<Integer> randomKillScenario(long seed) throws IOException {
        try (ChaosProxy chaos = ChaosProxy.start(echo.port())) {
            chaos.killRandomly(0.1, seed);
            List<Integer> outcome = new ArrayList<>();
            for (int c = 0; c < 30; c++) {
                try (Socket socket = connect(chaos.port())) {
                    int failedAt = -1;
                    for (int i = 0; i < 5 && failedAt < 0; i++) {
                        try {
                            write(socket, "msg-" + i);
                            if (!read(socket, 5).equals("msg-" + i)) {
                                throw new AssertionError("wrong echo");
                            }
                        } catch (SocketException e) {
                            failedAt = i;
                        }
                    }
                    outcome.add(failedAt);
                }
            }
            return outcome;
        }
    }

    private HttpResponse<String> send(URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(BodyPublishers.ofString("{\"query\":\"{a}\"}"));
        if (timeout != null) {
            request.timeout(timeout);
        }
        return CLIENT.send(request.build(), BodyHandlers.ofString());
    }

    /** A loopback HTTP backend answering every POST with its body wrapped in JSON. */
    private static HttpServer httpBackend(AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            byte[] answer = ("{\"data\":{\"echo\":\"" + body.replace("\"", "\\\"") + "\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "test-http-backend");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    private static void stopBackend(HttpServer backend) throws InterruptedException {
        backend.stop(0);
        ExecutorService executor = (ExecutorService) backend.getExecutor();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    private Socket connect() throws IOException {
        return connect(proxy.port());
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) WAIT.toMillis()); // bounds every read in these tests
        return socket;
    }

    private static String roundTrip(Socket socket, String message) throws IOException {
        write(socket, message);
        return read(socket, message.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void write(Socket socket, String message) throws IOException {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Socket socket, int bytes) throws IOException {
        byte[] read = socket.getInputStream().readNBytes(bytes);
        if (read.length < bytes) {
            throw new IOException("end of stream after " + read.length + " of " + bytes + " bytes");
        }
        return new String(read, StandardCharsets.UTF_8);
    }

    private static List<String> proxyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("jgql-testkit-chaos-")).toList();
    }

    /** Polls a condition the proxy reaches asynchronously, failing after a bounded wait. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + WAIT.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    /** Puts each whole text message, then any error, on a queue. */
    private static final class RecordingListener implements WebSocket.Listener {
        private final BlockingQueue<Object> events;
        private final StringBuilder text = new StringBuilder();

        RecordingListener(BlockingQueue<Object> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add("close " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(error);
        }
    }

    /**
     * A blocking echo server on loopback: writes back each chunk it reads, after a prefix, and
     * records how each connection ended ("eof" or the exception message).
     */
    private static final class EchoServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final BlockingQueue<String> endings = new LinkedBlockingQueue<>();
        private final ServerSocket listener;
        private final String prefix;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        private EchoServer(ServerSocket listener, String prefix) {
            this.listener = listener;
            this.prefix = prefix;
        }

        static EchoServer start(int port, String prefix) throws IOException {
            ServerSocket listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            EchoServer server = new EchoServer(listener, prefix);
            server.spawn(server::acceptLoop);
            return server;
        }

        int port() {
            return listener.getLocalPort();
        }

        private void acceptLoop() {
            while (true) {
                try {
                    Socket socket = listener.accept();
                    accepted.incrementAndGet();
                    sockets.add(socket);
                    spawn(() -> echo(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.addAndGet(n);
                    byte[] answer = new byte[prefix.length() + n];
                    System.arraycopy(prefix.getBytes(StandardCharsets.UTF_8), 0, answer, 0, prefix.length());
                    System.arraycopy(buffer, 0, answer, prefix.length(), n);
                    out.write(answer); // one write per chunk, so chunking is preserved
                }
                endings.add("eof");
            } catch (IOException e) {
                endings.add(String.valueOf(e.getMessage()));
            } finally {
                sockets.remove(socket);
            }
        }

        private void spawn(Runnable task) {
            Thread thread = new Thread(() -> {
                try {
                    task.run();
                } finally {
                    threads.remove(Thread.currentThread());
                }
            }, "test-echo");
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            Threads.joinAll(threads, WAIT, "EchoServer");
            assertThat(threads).as("echo threads").isEmpty();
        }
    }
}
