package dev.jgql.examples;

import static org.awaitility.Awaitility.await;

import dev.failsafe.RetryPolicy;
import dev.jgql.Reconnect;
import dev.jgql.countries.CountriesServer;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Shared test helpers: a restartable backend, fast reconnect policies, leak checks. */
final class TestSupport {
    private TestSupport() {
    }

    /** Reconnects quickly, forever: what the tests give the permanent session. */
    static RetryPolicy<Object> fastReconnect() {
        return Reconnect.backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .handle(Exception.class)
                .withMaxRetries(-1)
                .build();
    }

    /** How the client reaches the backend. */
    enum Link {
        HTTP, WS;

        URI uri(int port) {
            return URI.create((this == HTTP ? "http" : "ws") + "://127.0.0.1:" + port + "/graphql");
        }

        Transport transport(int port) {
            return this == HTTP ? HttpTransport.builder(uri(port)).build() : WebSocketTransport.builder(uri(port)).build();
        }
    }

    /** The embedded countries backend on a fixed port, which can be stopped and started again. */
    static final class Backend implements AutoCloseable {
        private final int port;
        private CountriesServer server;

        private Backend(int port, boolean running) {
            this.port = port;
            if (running) {
                start();
            }
        }

        /** A running backend on a free port. */
        static Backend running() {
            CountriesServer server = CountriesServer.start(0);
            Backend backend = new Backend(server.port(), false);
            backend.server = server;
            return backend;
        }

        /** A backend that is down, on a port that was free a moment ago. */
        static Backend down() {
            return new Backend(freePort(), false);
        }

        int port() {
            return port;
        }

        synchronized boolean isRunning() {
            return server != null;
        }

        synchronized void start() {
            if (server == null) {
                server = CountriesServer.start(port);
            }
        }

        synchronized void stop() {
            if (server != null) {
                server.close();
                server = null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jgql's own threads (HTTP, WebSocket, scheduler) have all ended: nothing leaked. */
    static void awaitNoJgqlThreads() {
        await("jgql threads to end").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(jgqlThreads()).isEmpty());
    }

    static List<String> jgqlThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("jgql-"))
                .toList();
    }
}
