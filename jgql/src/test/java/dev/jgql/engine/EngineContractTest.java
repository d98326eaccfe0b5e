package dev.jgql.engine;

import dev.jgql.Client;
import dev.jgql.Gql;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportProtocolException;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parts of the {@link HttpEngine} contract the transports' tests do not reach, on the engine
 * under test: {@code maxResponseSize} enforced whether or not the length is declared, a
 * response mode that throws fails the exchange instead of leaving it hanging, and closing the
 * engine ends a body still being streamed.
 */
@Timeout(60)
class EngineContractTest {
    private static final int LIMIT = 64 * 1024;

    private static LoopbackHttpServer server;
    /** Counted down when the server sees the connection of an unending stream closed. */
    private static volatile CountDownLatch streamClosed = new CountDownLatch(1);
    private HttpEngine engine;

    @BeforeAll
    static void startServer() throws Exception {
        server = LoopbackHttpServer.start(request -> {
            HttpServerResponse response = request.response().putHeader("Content-Type", "application/json");
            String padding = "x".repeat(2 * LIMIT);
            switch (request.path()) {
                case "/declared" -> response.end("{\"data\":{\"pad\":\"" + padding + "\"}}");
                case "/unending" -> {
                    // one chunk, then the stream stays open until the client goes
                    CountDownLatch closed = streamClosed;
                    request.connection().closeHandler(ignored -> closed.countDown());
                    response.setChunked(true);
                    response.write("{\"first\":true}");
                }
                case "/chunked" -> {
                    response.setChunked(true);
                    for (int i = 0; i < 8; i++) {
                        response.write(padding.substring(0, LIMIT / 2));
                    }
                    response.end();
                }
                default -> response.end("{\"data\":{\"ok\":true}}");
            }
        });
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newEngine() {
        engine = LoopbackHttpServer.newEngine();
    }

    @AfterEach
    void closeEngine() throws Exception {
        engine.close().get(10, TimeUnit.SECONDS);
    }

    private static URI uri(String path) {
        return server.uri(path);
    }

    private CompletableFuture<HttpEngineResponse> get(String path, long maxResponseSize) {
        return engine.execute(HttpEngineRequest.get(uri(path)).maxResponseSize(maxResponseSize).build());
    }

    @Test
    void aBodyWithinTheLimitIsReadWhole() throws Exception {
        HttpEngineResponse response = get("/small", LIMIT).get(10, TimeUnit.SECONDS);

        assertThat(response.isStreamed()).isFalse();
        assertThat(new String(response.body().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":{\"ok\":true}}");
    }

    @Test
    void aDeclaredLengthPastTheLimitIsRefused() {
        assertThat(tooLarge(get("/declared", LIMIT)).limit()).isEqualTo(LIMIT);
    }

    @Test
    void aChunkedBodyIsRefusedOnceItGrowsPastTheLimit() {
        assertThat(tooLarge(get("/chunked", LIMIT)).limit()).isEqualTo(LIMIT);
    }

    /** The engine's failure, which may wrap the ResponseTooLargeException (the JDK's send does). */
    private static ResponseTooLargeException tooLarge(CompletableFuture<HttpEngineResponse> call) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        throw new AssertionError("No ResponseTooLargeException among the causes of " + failure, failure);
    }

    @Test
    void aResponseModeThatThrowsFailsTheExchange() {
        IllegalStateException fault = new IllegalStateException("the response mode failed");
        CompletableFuture<HttpEngineResponse> call = engine.execute(HttpEngineRequest.get(uri("/small"))
                .responseMode((status, headers) -> {
                    throw fault;
                }).build());

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(e).hasRootCauseMessage("the response mode failed"));
    }

    @Test
    void theTransportReportsATooLargeResponseAsAProtocolError() {
        Client client = Client.builder().transport(TestEngines.http(uri("/chunked")).maxResponseSize(LIMIT).build()).build();
        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(Gql.gql("{ pad }"))).isInstanceOf(TransportProtocolException.class)
                    .hasMessageContaining("maxResponseSize").hasMessageContaining(Integer.toString(LIMIT));
        } finally {
            client.close();
        }
    }

    @Test
    void closingTheEngineEndsABodyStillBeingReadAndClosesItsConnection() throws Exception {
        streamClosed = new CountDownLatch(1);
        HttpEngineResponse response = engine.execute(HttpEngineRequest.get(uri("/unending"))
                .responseMode((status, headers) -> true).build()).get(10, TimeUnit.SECONDS);
        CountDownLatch firstChunk = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        response.bodyStream().orElseThrow().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(1); // and never again: the body is neither read on nor cancelled
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                firstChunk.countDown();
            }

            @Override
            public void onError(Throwable throwable) {
                ended.complete(throwable);
            }

            @Override
            public void onComplete() {
                ended.complete(null);
            }
        });
        assertThat(firstChunk.await(10, TimeUnit.SECONDS)).as("the first chunk arrived").isTrue();

        engine.close().get(10, TimeUnit.SECONDS);

        assertThat(ended.get(10, TimeUnit.SECONDS)).as("the subscriber's terminal signal").isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("closed");
        assertThat(streamClosed.await(10, TimeUnit.SECONDS)).as("the server saw the connection closed").isTrue();
    }
}
