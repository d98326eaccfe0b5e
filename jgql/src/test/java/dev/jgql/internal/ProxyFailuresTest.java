package dev.jgql.internal;

import dev.jgql.Client;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.Session;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportServerException;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failures of an HTTP proxy between client and server (a JDK {@link HttpClient} with a proxy,
 * given to the transports) are reported as "not sent" when no byte can have reached the server:
 * the proxy refused the CONNECT tunnel, or the proxy itself refused the connection. The proxy is a
 * real loopback socket that answers every request with one status and records the request lines.
 */
@Timeout(60)
class ProxyFailuresTest {
    /** Nothing listens here: had a byte reached "the server", the test would see a refusal instead. */
    private static final String SERVER = "127.0.0.1:9";
    private static final GraphQLRequest MUTATION = Gql.gql("mutation { increment }");

    private final List<String> proxied = new CopyOnWriteArrayList<>();
    private ServerSocket proxy;
    private Thread proxyThread;

    @AfterEach
    void stopProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
            proxyThread.join(5_000);
            assertThat(proxyThread.isAlive()).isFalse();
        }
    }

    /** A proxy that answers every request with {@code status} and an empty body, then closes. */
    private HttpClient proxiedClient(int status) throws IOException {
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        proxyThread = new Thread(() -> {
            while (!proxy.isClosed()) {
                try (Socket socket = proxy.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    proxied.add(in.readLine());
                    for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                        // the request's headers: read and dropped
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 " + status + " Proxy says no\r\nContent-Length: 0\r\n"
                            + (status == 407 ? "Proxy-Authenticate: Basic realm=\"test\"\r\n" : "") + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    socket.shutdownOutput();
                    socket.getInputStream().readAllBytes(); // until the client lets go
                } catch (IOException closedOrReset) {
                    // the next accept fails too once the proxy is closed, ending the loop
                }
            }
        }, "proxy-" + proxy.getLocalPort());
        proxyThread.setDaemon(true);
        proxyThread.start();
        return client(proxy.getLocalPort());
    }

    private static HttpClient client(int proxyPort) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort))).build();
    }

    private static void withSession(Transport transport, Consumer<Session> use) {
        Client client = Client.builder().transport(transport).build();
        try (Session session = client.connect()) {
            use.accept(session);
        } finally {
            client.close();
        }
    }

    private static void assertNotSent(Throwable failure, String wording) {
        assertThat(failure).isInstanceOfSatisfying(TransportConnectionFailedException.class, notSent -> {
            assertThat(notSent.requestMayHaveBeenSent()).as("a refused tunnel carries no request byte").isFalse();
            assertThat(notSent.getMessage()).contains(wording).contains(SERVER);
        });
    }

    @Test
    void aProxyThatRefusesTheTunnelMeansTheMutationWasNotSent() throws Exception {
        HttpTransport transport = HttpTransport.builder(URI.create("https://" + SERVER + "/graphql"))
                .httpClient(proxiedClient(403)).build();
        withSession(transport, session -> assertThatThrownBy(() -> session.execute(MUTATION))
                .satisfies(failure -> assertNotSent(failure, "proxy refused to open a tunnel")));
        assertThat(proxied).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("CONNECT " + SERVER));
    }

    @Test
    void aProxyThatFailsUpstreamBeforeTheTunnelMeansNotSentToo() throws Exception {
        HttpTransport transport = HttpTransport.builder(URI.create("https://" + SERVER + "/graphql"))
                .httpClient(proxiedClient(502)).build();
        withSession(transport, session -> assertThatThrownBy(() -> session.execute(MUTATION))
                .satisfies(failure -> assertNotSent(failure, "Tunnel failed, got: 502")));
    }

    @Test
    void aWebSocketThroughARefusingProxyFailsToConnectWithNothingSent() throws Exception {
        WebSocketTransport transport = WebSocketTransport.builder(URI.create("ws://" + SERVER + "/graphql"))
                .httpClient(proxiedClient(403)).build();
        Client client = Client.builder().transport(transport).build();
        try {
            assertThatThrownBy(client::connect).satisfies(failure -> assertNotSent(failure, "proxy refused to open a tunnel"));
        } finally {
            client.close();
        }
    }

    @Test
    void aProxyThatIsDownMeansNotSent() throws Exception {
        int closedPort;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }
        HttpTransport transport = HttpTransport.builder(URI.create("https://" + SERVER + "/graphql"))
                .httpClient(client(closedPort)).build();
        withSession(transport, session -> assertThatThrownBy(() -> session.execute(MUTATION))
                .satisfies(failure -> assertNotSent(failure, "Could not connect")));
    }

    @Test
    void aProxyAskingForCredentialsSaysSo() throws Exception {
        HttpTransport transport = HttpTransport.builder(URI.create("https://" + SERVER + "/graphql"))
                .httpClient(proxiedClient(407)).build();
        withSession(transport, session -> assertThatThrownBy(() -> session.execute(MUTATION))
                .isInstanceOfSatisfying(TransportServerException.class, refused -> {
                    assertThat(refused.statusCode()).isEqualTo(407);
                    assertThat(refused.getMessage()).contains("proxy").contains("requires credentials");
                }));
    }
}
