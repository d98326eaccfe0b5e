package dev.jgql.transport;

import dev.jgql.Client;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.testkit.TestCertificate;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS on every transport and on the engine under test (the JDK's here, Vert.x's when jgql-vertx
 * runs this suite): a server with a self-signed certificate is refused by default, with nothing
 * sent, and accepted with an {@link SSLContext} that trusts it; HTTP/2 is negotiated by ALPN. The
 * server is a real Vert.x HTTPS server on loopback that answers GraphQL over HTTP with the
 * version the request came in, and speaks graphql-transport-ws on {@code /ws}; its certificate is
 * made for the run ({@link TestCertificate}).
 */
@Timeout(120)
class TlsEverywhereTest {
    private static final GraphQLRequest QUERY = Gql.gql("{ version secure }");

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static int port;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "loopback", "ip:127.0.0.1");
        trusting = certificate.trustingContext();
        vertx = Vertx.vertx();
        port = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                        .setKeyCertOptions(certificate.keyCertOptions()).addWebSocketSubProtocol("graphql-transport-ws"))
                .webSocketHandler(TlsEverywhereTest::speakGraphQLTransportWs)
                .requestHandler(request -> request.body().onSuccess(body -> request.response()
                        .putHeader("Content-Type", "application/graphql-response+json")
                        .end(new JsonObject().put("data", Map.of("version", request.version().name(),
                                "secure", request.isSSL())).encode())))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    /** Acknowledges the init and answers every subscribe with one result and complete. */
    private static void speakGraphQLTransportWs(ServerWebSocket socket) {
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            switch (message.getString("type")) {
                case "connection_init" -> socket.writeTextMessage("{\"type\":\"connection_ack\"}");
                case "subscribe" -> {
                    String id = message.getString("id");
                    socket.writeTextMessage(new JsonObject().put("type", "next").put("id", id).put("payload",
                            Map.of("data", Map.of("version", "websocket", "secure", socket.isSsl()))).encode());
                    socket.writeTextMessage(new JsonObject().put("type", "complete").put("id", id).encode());
                }
                default -> {
                    // pings and completes need no answer here
                }
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static URI https() {
        return URI.create("https://127.0.0.1:" + port + "/graphql");
    }

    private static URI wss() {
        return URI.create("wss://127.0.0.1:" + port + "/ws");
    }

    private static void withSession(Transport transport, Consumer<Session> use) {
        Client client = Client.builder().transport(transport).build();
        try (Session session = client.connect()) {
            use.accept(session);
        } finally {
            client.close();
        }
    }

    private static void assertRefusedBeforeSending(Throwable failure) {
        assertThat(failure).isInstanceOfSatisfying(TransportConnectionFailedException.class, refused -> {
            assertThat(refused.requestMayHaveBeenSent()).as("nothing can leave before the handshake").isFalse();
            assertThat(refused.getMessage()).contains("TLS handshake").contains("127.0.0.1:" + port);
        });
    }

    @Test
    void wssToASelfSignedServerIsRefusedByDefaultWithNothingSent() {
        Client client = Client.builder().transport(TestEngines.ws(wss()).build()).build();
        try {
            assertThatThrownBy(client::connect).satisfies(TlsEverywhereTest::assertRefusedBeforeSending);
        } finally {
            client.close();
        }
    }

    @Test
    void wssWithAContextTrustingTheCertificateWorks() {
        WebSocketTransport transport = TestEngines.ws(wss()).sslContext(trusting).build();
        withSession(transport, session -> assertThat(session.execute(QUERY))
                .isEqualTo(Map.of("version", "websocket", "secure", true)));
    }

    @Test
    void httpsToASelfSignedServerIsRefusedByDefaultWithNothingSent() {
        withSession(TestEngines.http(https()).build(), session -> assertThatThrownBy(() -> session.execute(QUERY))
                .satisfies(TlsEverywhereTest::assertRefusedBeforeSending));
    }

    @Test
    void httpsNegotiatesHttp2ByAlpnByDefault() {
        HttpTransport transport = TestEngines.http(https()).sslContext(trusting).build();
        withSession(transport, session -> assertThat(session.execute(QUERY))
                .isEqualTo(Map.of("version", "HTTP_2", "secure", true)));
    }

    @Test
    void httpsStaysOnHttp11WhenAskedTo() {
        HttpTransport transport = TestEngines.http(https()).sslContext(trusting).httpVersion(HttpClient.Version.HTTP_1_1)
                .build();
        withSession(transport, session -> assertThat(session.execute(QUERY))
                .isEqualTo(Map.of("version", "HTTP_1_1", "secure", true)));
    }
}
