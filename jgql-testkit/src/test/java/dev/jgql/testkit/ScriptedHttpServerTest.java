package dev.jgql.testkit;

import dev.jgql.testkit.ScriptedHttpServer.RecordedRequest;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ScriptedHttpServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String BODY = "{\"data\":{\"hello\":\"world\"}}"; // 26 bytes
    /** One client for the class: JDK 17 clients cannot be closed, so each new one leaves a selector thread until GC. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ScriptedHttpServer server;

    @BeforeEach
    void start() {
        server = ScriptedHttpServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void jsonResponseReachesTheClientAndTheRequestIsRecorded() throws Exception {
        server.enqueue(Response.json(201, BODY).withHeader("X-Request-Id", "42"));

        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(server.uri() + "?op=hello"))
                .header("Authorization", "Bearer t0k3n")
                .POST(BodyPublishers.ofString("{\"query\":\"{ hello }\"}")).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().firstValue("x-request-id")).contains("42");
        assertThat(response.headers().firstValue("content-length")).contains("26");
        assertThat(response.body()).isEqualTo(BODY);

        RecordedRequest request = server.takeRequest(WAIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.target()).isEqualTo("/graphql?op=hello");
        assertThat(request.header("authorization")).contains("Bearer t0k3n");
        assertThat(request.headers().get("CONTENT-LENGTH")).containsExactly("21");
        assertThat(request.body()).isEqualTo("{\"query\":\"{ hello }\"}");
        assertThat(request.connectionIndex()).isZero();
        assertThat(request.exchangeIndex()).isZero();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void textHtmlBytesAndStatusFactoriesSendWhatTheySay() throws Exception {
        byte[] invalidUtf8 = {'{', (byte) 0xC3, 0x28, '}'};
        server.enqueue(
                Response.text(200, "application/graphql-response+json", "{\"data\":null}"),
                Response.html(502, "<html>Bad Gateway</html>"),
                Response.bytes(200, "application/json", invalidUtf8),
                Response.status(503).withHeader("Retry-After", "2"),
                Response.json(200, "{}").withHeader("content-type", "text/plain"));

        HttpResponse<String> text = get("/a");
        assertThat(text.headers().firstValue("Content-Type")).contains("application/graphql-response+json");
        assertThat(text.body()).isEqualTo("{\"data\":null}");

        HttpResponse<String> html = get("/b");
        assertThat(html.statusCode()).isEqualTo(502);
        assertThat(html.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(html.body()).isEqualTo("<html>Bad Gateway</html>");

        HttpResponse<byte[]> bytes = CLIENT.send(HttpRequest.newBuilder(server.uri()).build(), BodyHandlers.ofByteArray());
        assertThat(bytes.body()).containsExactly(invalidUtf8);

        HttpResponse<String> empty = get("/d");
        assertThat(empty.statusCode()).isEqualTo(503);
        assertThat(empty.headers().firstValue("Retry-After")).contains("2");
        assertThat(empty.headers().firstValue("Content-Length")).contains("0");
        assertThat(empty.body()).isEmpty();

        HttpResponse<String> replaced = get("/e");
        assertThat(replaced.headers().allValues("Content-Type")).containsExactly("text/plain");
    }

    @Test
    void queueAnswersFirstThenTheHandlerThenA503ThatSaysNothingWasScripted() throws Exception {
        server.enqueue(Response.json(200, "{\"n\":1}"), Response.json(200, "{\"n\":2}"));
        server.handler(request -> Response.json(200, "{\"echo\":\"" + request.target() + "\"}"));

        assertThat(get("/1").body()).isEqualTo("{\"n\":1}");
        assertThat(get("/2").body()).isEqualTo("{\"n\":2}");
        assertThat(get("/3").body()).isEqualTo("{\"echo\":\"/3\"}");

        server.handler(null);
        HttpResponse<String> unscripted = get("/4");
        assertThat(unscripted.statusCode()).isEqualTo(503);
        assertThat(unscripted.body()).contains("nothing scripted for GET /4");

        server.handler(request -> {
            throw new IllegalStateException("handler bug");
        });
        HttpResponse<String> failed = get("/5");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("handler bug");
        assertThat(server.requestCount()).isEqualTo(5);
    }

    @Test
    void truncatedBodyDeclaresTheFullLengthSendsFewerBytesThenEndsTheStream() throws Exception {
        server.enqueue(Response.json(200, BODY).truncatedBody(5));

        try (Socket socket = raw()) {
            socket.getOutputStream().write(post("/graphql", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            String received = new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 26\r\n");
            assertThat(received.substring(received.indexOf("\r\n\r\n") + 4)).isEqualTo(BODY.substring(0, 5));
        }
    }

    @Test
    void truncatedBodyFailsTheJdkClientWithAnIOException() {
        server.enqueue(Response.json(200, BODY).truncatedBody(5));

        assertThatThrownBy(() -> post(BODY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("fixed content-length: 26, bytes received: 5");
    }

    @Test
    void resetMidResponseSendsTheHeadersAndPartOfTheBodyThenAReset() throws Exception {
        server.enqueue(Response.json(200, BODY).resetMidResponse(5));

        try (Socket socket = raw()) {
            socket.getOutputStream().write(post("/graphql", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 26\r\n");
            assertThat(new String(in.readNBytes(5), StandardCharsets.ISO_8859_1)).isEqualTo(BODY.substring(0, 5));
            assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void resetMidResponseFailsTheJdkClientWithAConnectionReset() {
        server.enqueue(Response.json(200, BODY).resetMidResponse(5));

        assertThatThrownBy(() -> post(BODY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bytes received: 5")
                .hasRootCauseInstanceOf(SocketException.class)
                .hasRootCauseMessage("Connection reset");
    }

    @Test
    void closeWithoutResponseReadsTheRequestAndEndsTheStream() throws Exception {
        server.enqueue(Response.closeWithoutResponse(), Response.closeWithoutResponse());

        try (Socket socket = raw()) {
            socket.getOutputStream().write(post("/graphql", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> post(BODY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("header parser received no bytes");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void resetWithoutResponseReadsTheRequestAndResets() throws Exception {
        server.enqueue(Response.resetWithoutResponse(), Response.resetWithoutResponse());

        try (Socket socket = raw()) {
            socket.getOutputStream().write(post("/graphql", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            assertThatThrownBy(socket.getInputStream()::read).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
        assertThatThrownBy(() -> post(BODY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("header parser received no bytes")
                .hasRootCauseInstanceOf(SocketException.class);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void noResponseLeavesOnlyTheClientsTimeoutToEndTheExchange() throws Exception {
        server.enqueue(Response.noResponse());

        // A real 300 ms wait: the point is that nothing but the client's own timer ends it.
        HttpRequest request = HttpRequest.newBuilder(server.uri()).timeout(Duration.ofMillis(300))
                .POST(BodyPublishers.ofString(BODY)).build();
        assertThatThrownBy(() -> CLIENT.send(request, BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(server.takeRequest(WAIT).body()).isEqualTo(BODY);
        // The JDK client closes the connection on timeout; the server sees it and lets go.
        await(() -> server.openConnectionCount() == 0);
    }

    @Test
    void delayWaitsRealTimeBeforeAnswering() throws Exception {
        server.enqueue(Response.json(200, BODY).withDelay(Duration.ofMillis(150)));

        long start = System.nanoTime();
        assertThat(post(BODY).body()).isEqualTo(BODY);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        server.handler(request -> Response.json(200, BODY));

        for (int i = 0; i < 3; i++) {
            client.send(HttpRequest.newBuilder(server.uri()).POST(BodyPublishers.ofString("{}")).build(),
                    BodyHandlers.ofString());
        }

        List<RecordedRequest> requests = List.of(server.takeRequest(WAIT), server.takeRequest(WAIT), server.takeRequest(WAIT));
        assertThat(requests).extracting(RecordedRequest::connectionIndex).containsExactly(0, 0, 0);
        assertThat(requests).extracting(RecordedRequest::exchangeIndex).containsExactly(0, 1, 2);
        assertThat(server.openConnectionCount()).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndConnectionCloseEndsTheConnection() throws Exception {
        server.enqueue(Response.json(200, "{\"n\":1}"), Response.json(200, "{\"n\":2}"));

        try (Socket socket = raw()) {
            String both = post("/first", "{\"a\":1}", "") + post("/second", "{\"b\":2}", "Connection: close\r\n");
            socket.getOutputStream().write(both.getBytes(StandardCharsets.ISO_8859_1));
            String received = new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(received).isEqualTo(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"n\":1}"
                    + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"n\":2}");
        }
        assertThat(server.takeRequest(WAIT).target()).isEqualTo("/first");
        RecordedRequest second = server.takeRequest(WAIT);
        assertThat(second.body()).isEqualTo("{\"b\":2}");
        assertThat(second.exchangeIndex()).isEqualTo(1);
    }

    @Test
    void connectionCloseInTheScriptedResponseMakesTheServerClose() throws Exception {
        server.enqueue(Response.json(200, "{}").withHeader("Connection", "close"));

        try (Socket socket = raw()) {
            socket.getOutputStream().write(post("/graphql", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            String received = new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(received).contains("Connection: close\r\n").endsWith("\r\n\r\n{}");
        }
        await(() -> server.openConnectionCount() == 0);
    }

    @Test
    void chunkedRequestBodiesAreRejectedClearly() throws Exception {
        server.enqueue(Response.json(200, "{}"));

        try (Socket socket = raw()) {
            String chunked = "POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
            socket.getOutputStream().write(chunked.getBytes(StandardCharsets.ISO_8859_1));
            String received = new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(received).startsWith("HTTP/1.1 501 Not Implemented\r\n").contains("Content-Length");
        }
        assertThat(server.requestCount()).isZero();
        assertThat(get("/after").body()).isEqualTo("{}"); // the script was not consumed
    }

    @Test
    void getHeadAndExpectContinueAreServed() throws Exception {
        server.handler(request -> Response.json(200, BODY));

        assertThat(get("/graphql?query=%7Bhello%7D").body()).isEqualTo(BODY);
        assertThat(server.takeRequest(WAIT).target()).isEqualTo("/graphql?query=%7Bhello%7D");

        HttpResponse<String> head = CLIENT.send(HttpRequest.newBuilder(server.uri())
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(head.headers().firstValue("Content-Length")).contains("26");
        assertThat(head.body()).isEmpty();

        HttpResponse<String> continued = CLIENT.send(HttpRequest.newBuilder(server.uri()).expectContinue(true)
                .POST(BodyPublishers.ofString("{\"query\":\"{x}\"}")).build(), BodyHandlers.ofString());
        assertThat(continued.body()).isEqualTo(BODY);
        server.takeRequest(WAIT);
        assertThat(server.takeRequest(WAIT).body()).isEqualTo("{\"query\":\"{x}\"}");
    }

    @Test
    void takeRequestFailsWithAClearMessageWhenNothingArrives() {
        assertThatThrownBy(() -> server.takeRequest(Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("received no request within 20 ms");
    }

    @Test
    void openConnectionCountFollowsTheClientsSockets() throws Exception {
        try (Socket stays = raw()) {
            Socket closes = raw();
            try {
                await(() -> server.openConnectionCount() == 2);
            } finally {
                closes.close();
            }
            await(() -> server.openConnectionCount() == 1);
            assertThat(stays.isClosed()).isFalse();
        }
        await(() -> server.openConnectionCount() == 0);
    }

    @Test
    void closeEndsDelaysAndHeldConnectionsAndLeavesNoThread() throws Exception {
        server.enqueue(Response.json(200, "{}").withDelay(Duration.ofHours(1)), Response.noResponse());
        try (Socket delayed = raw(); Socket silent = raw()) {
            delayed.getOutputStream().write(post("/delayed", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            await(() -> server.requestCount() == 1);
            silent.getOutputStream().write(post("/silent", "{}", "").getBytes(StandardCharsets.ISO_8859_1));
            await(() -> server.requestCount() == 2);

            assertTimeoutPreemptively(WAIT, server::close);

            assertThat(readToEnd(delayed.getInputStream())).isEmpty();
            assertThat(readToEnd(silent.getInputStream())).isEmpty();
        }
        assertThat(testkitThreads()).isEmpty();
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
                .isInstanceOf(ConnectException.class);
        server.close(); // idempotent
    }

    @Test
    void responsesRejectImpossibleScripts() {
        Response ok = Response.json(200, "{}");
        assertThatThrownBy(() -> ok.truncatedBody(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 <= bodyBytesSent < 2");
        assertThatThrownBy(() -> ok.resetMidResponse(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withHeader("X-Evil", "a\r\nInjected: yes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Response.noResponse().withHeader("A", "b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Response.status(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ok.resetMidResponse(2).withDelay(Duration.ofMillis(5)))
                .hasToString("Response[200, 2 body bytes, resetMidResponse(2), delay 5 ms]");
    }

    // -------------------------------------------------------------------------------------------

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(server.uri()).POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
    }

    private Socket raw() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout((int) WAIT.toMillis()); // bounds every read in these tests
        return socket;
    }

    private static String post(String target, String body, String extraHeaders) {
        return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + extraHeaders + "\r\n" + body;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside the head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static List<String> testkitThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("jgql-testkit-http-")).toList();
    }

    /** Polls a condition the fixture reaches asynchronously, failing after a bounded wait. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + WAIT.toMillis() + " ms");
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }
}
