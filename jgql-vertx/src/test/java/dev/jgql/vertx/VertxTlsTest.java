package dev.jgql.vertx;

import dev.jgql.Client;
import dev.jgql.Gql;
import dev.jgql.Session;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.EngineWebSocket;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.engine.WebSocketEngine;
import dev.jgql.engine.WebSocketEngineRequest;
import dev.jgql.testkit.TestCertificate;
import dev.jgql.transport.http.HttpTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A transport's {@link SSLContext} on the Vert.x engine: trusted through it, HTTP/2 by ALPN on it,
 * host names still verified, refused without it. The servers use certificates made for the test
 * ({@link TestCertificate}): one for 127.0.0.1, one for another host.
 */
@Timeout(120)
class VertxTlsTest {
    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static int goodPort;
    private static int wrongHostPort;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        TestCertificate good = TestCertificate.create(dir, "good", "ip:127.0.0.1");
        TestCertificate wrongHost = TestCertificate.create(dir, "wrong", "dns:elsewhere.example");
        vertx = Vertx.vertx();
        goodPort = listen(good);
        wrongHostPort = listen(wrongHost);
        // The other certificate is trusted too: only its host name is wrong.
        trusting = good.trustingContext(wrongHost);
    }

    private static int listen(TestCertificate certificate) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                        .setKeyCertOptions(certificate.keyCertOptions())
                        .addWebSocketSubProtocol("graphql-transport-ws"))
                .requestHandler(request -> {
                    if (request.path().equals("/ws")) {
                        request.toWebSocket();
                    } else {
                        request.response().putHeader("Content-Type", "application/graphql-response+json")
                                .end("{\"data\":{\"version\":\"" + request.version() + "\"}}");
                    }
                });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpEngineResponse get(EngineSettings settings, int port) throws Exception {
        HttpEngine engine = VertxEngine.create().newHttpEngine(settings);
        try {
            return engine.execute(HttpEngineRequest.get(URI.create("https://127.0.0.1:" + port + "/graphql")).build())
                    .get(10, TimeUnit.SECONDS);
        } finally {
            engine.close().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theGivenContextIsTrustedAndCarriesHttp2ByAlpn() throws Exception {
        HttpEngineResponse response = get(EngineSettings.builder().sslContext(trusting)
                .httpVersion(HttpClient.Version.HTTP_2).build(), goodPort);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(new String(response.body().orElseThrow())).contains("HTTP_2");
    }

    @Test
    void http11IsUsedWhenAskedFor() throws Exception {
        HttpEngineResponse response = get(EngineSettings.builder().sslContext(trusting).build(), goodPort);

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void withoutTheContextTheServerIsNotTrusted() {
        assertThatThrownBy(() -> get(EngineSettings.defaults(), goodPort)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() {
        assertThatThrownBy(() -> get(EngineSettings.builder().sslContext(trusting).build(), wrongHostPort))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theTransportSaysTheHandshakeFailedAndNothingWasSent() {
        Client client = Client.builder().transport(HttpTransport.builder(URI.create("https://127.0.0.1:" + goodPort + "/graphql"))
                .engine(VertxEngine.create()).build()).build();
        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(Gql.gql("{ version }")))
                    .isInstanceOfSatisfying(TransportConnectionFailedException.class, e -> {
                        assertThat(e.requestMayHaveBeenSent()).isFalse();
                        assertThat(e.getMessage()).contains("TLS handshake");
                    });
        } finally {
            client.close();
        }
        Client trusted = Client.builder().transport(HttpTransport.builder(URI.create("https://127.0.0.1:" + goodPort + "/graphql"))
                .sslContext(trusting).engine(VertxEngine.create()).build()).build();
        try (Session session = trusted.connect()) {
            assertThat(session.execute(Gql.gql("{ version }"))).isEqualTo(Map.of("version", "HTTP_2"));
        } finally {
            trusted.close();
        }
    }

    @Test
    void webSocketsUseTheContextToo() throws Exception {
        WebSocketEngine engine = VertxEngine.create().newWebSocketEngine(EngineSettings.builder().sslContext(trusting).build());
        try {
            EngineWebSocket socket = engine.open(WebSocketEngineRequest.builder(URI.create("wss://127.0.0.1:" + goodPort + "/ws"))
                    .subprotocols(List.of("graphql-transport-ws")).build(), new RecordingListener()).get(10, TimeUnit.SECONDS);
            assertThat(socket.subprotocol()).isEqualTo("graphql-transport-ws");
        } finally {
            engine.close().get(10, TimeUnit.SECONDS);
        }
    }
}
