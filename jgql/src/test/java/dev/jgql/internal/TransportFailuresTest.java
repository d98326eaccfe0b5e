package dev.jgql.internal;

import dev.jgql.internal.TransportFailures.Stage;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures can have carried a request byte: the classification both transports use, on the
 * exceptions the engines report (the JDK's vocabulary, wrapped as engines wrap them). The same
 * failures on real sockets are in TlsEverywhereTest (TLS), ProxyFailuresTest (proxies) and the
 * transports' fault tests (refused, reset); a failed DNS lookup needs a resolver, so it is here only.
 */
class TransportFailuresTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static Throwable wrapped(Throwable cause) {
        return new CompletionException(new IOException("engine: " + cause.getMessage(), cause));
    }

    @Test
    void nothingCanHaveBeenSentWhenNoConnectionWasMade() {
        assertThat(TransportFailures.stage(wrapped(new ConnectException()))).isEqualTo(Stage.CONNECT);
        assertThat(TransportFailures.stage(wrapped(new UnknownHostException("nowhere.invalid")))).isEqualTo(Stage.CONNECT);
        assertThat(TransportFailures.stage(new UnresolvedAddressException())).isEqualTo(Stage.CONNECT);
        assertThat(TransportFailures.stage(wrapped(new NoRouteToHostException("no route")))).isEqualTo(Stage.CONNECT);
        assertThat(TransportFailures.stage(wrapped(new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo(Stage.CONNECT);
        assertThat(TransportFailures.stage(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo(Stage.CONNECT);
        assertThat(TransportFailures.stage(new IOException("Tunnel failed, got: 403"))).isEqualTo(Stage.CONNECT);
    }

    @Test
    void anExchangeThatBrokeMayHaveCarriedTheRequest() {
        assertThat(TransportFailures.stage(wrapped(new SocketException("Connection reset")))).isEqualTo(Stage.EXCHANGE);
        assertThat(TransportFailures.stage(new IOException("closed output"))).isEqualTo(Stage.EXCHANGE);
        assertThat(TransportFailures.stage(new IOException((String) null))).isEqualTo(Stage.EXCHANGE);
        assertThat(TransportFailures.stage(new HttpTimeoutException("request timed out"))).isEqualTo(Stage.TIMEOUT);
    }

    @Test
    void eachConnectFailureSaysWhatFailedAndWhatToCheck() {
        String where = "https://api.example/graphql";
        assertThat(TransportFailures.connectFailure(wrapped(new UnknownHostException("api.example")), where,
                CONNECT_TIMEOUT, "the request was not sent"))
                .startsWith("Could not resolve the host of " + where).contains("the request was not sent").endsWith("Check the URL");
        assertThat(TransportFailures.connectFailure(wrapped(new SSLHandshakeException("PKIX path building failed")), where,
                CONNECT_TIMEOUT, "the request was not sent")).startsWith("The TLS handshake with " + where + " failed")
                .contains("PKIX").contains("SSLContext");
        assertThat(TransportFailures.connectFailure(new IOException("Tunnel failed, got: 502"), where, CONNECT_TIMEOUT,
                "nothing was sent")).startsWith("The proxy refused to open a tunnel to " + where).contains("502")
                .contains("proxy settings");
        assertThat(TransportFailures.connectFailure(new ConnectException(), where, CONNECT_TIMEOUT, "nothing was sent"))
                .isEqualTo("Could not connect to " + where + " (connection refused); nothing was sent. Is the server running?");
        assertThat(TransportFailures.connectFailure(new HttpConnectTimeoutException("timed out"), where, CONNECT_TIMEOUT,
                "nothing was sent")).contains("within 10000 ms (connectTimeout)");
    }

    @Test
    void aProxyAskingForCredentialsIsNamed() {
        assertThat(TransportFailures.statusHint(407, null)).contains("proxy").contains("credentials")
                .contains("did not reach the server");
    }
}
