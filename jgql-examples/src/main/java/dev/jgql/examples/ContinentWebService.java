package dev.jgql.examples;

import static dev.jgql.Gql.gql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.RetryPolicy;
import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Reconnect;
import dev.jgql.transport.Transport;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java counterpart of gql's FastAPI example: a web service that keeps <em>one</em> permanent,
 * self-healing session to its GraphQL backend for its whole life, shared by every request.
 *
 * <ul>
 *   <li>{@code GET /} — an HTML page, titled "Continents", linking to the seven continents.
 *   <li>{@code GET /continent/{code}} — the continent's name, code and countries (each with its name and
 *       capital) as JSON, the query's data as the backend sent it; {@code 404
 *       {"detail":"Continent not found"}} for an unknown code; {@code 503 {"detail":"GraphQL backend
 *       unavailable"}} when the backend cannot answer within the request timeout.
 * </ul>
 *
 * <p>It starts even when the backend is down ({@code awaitFirstConnection(false)}): requests then get
 * 503 until the session has reconnected by itself, with no restart of the web service.
 *
 * <pre>{@code
 * ContinentWebService service = ContinentWebService.builder(HttpTransport.builder(backend).build())
 *     .port(8000)
 *     .start();
 * // ...
 * service.close();
 * }</pre>
 */
public final class ContinentWebService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContinentWebService.class);

    /** The continent codes the service knows, as in the seed. */
    public static final List<String> CONTINENT_CODES = List.of("AF", "AN", "AS", "EU", "NA", "OC", "SA");

    /** The seed's query (gql's fastapi_async.py), parsed once at class load. */
    static final GraphQLRequest QUERY = gql("""
            query getContinentInfo($code: ID!) {
              continent(code:$code) {
                name
                code
                countries  {
                  name
                  capital
                }
              }
            }""");

    static final Map<String, String> NOT_FOUND = Map.of("detail", "Continent not found");
    static final Map<String, String> UNAVAILABLE = Map.of("detail", "GraphQL backend unavailable");

    /**
     * How much longer than the request timeout we wait for a call before answering 503 anyway: every call has
     * the request timeout as its deadline, this is only the backstop should a future never complete.
     */
    private static final Duration BACKSTOP_GRACE = Duration.ofMillis(500);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Client client;
    private final Duration requestTimeout;
    private final String host;
    private final PrintStream out;
    private final Javalin app;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ContinentWebService(Builder builder, Client client) {
        this.client = client;
        this.requestTimeout = builder.requestTimeout;
        this.host = builder.host;
        this.out = builder.out;
        ObjectMapper json = new ObjectMapper();
        this.app = Javalin.create(config -> {
            config.jetty.host = builder.host;
            config.jetty.port = builder.port;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.routes.get("/", ctx -> ctx.html(rootPage()));
            config.routes.get("/continent/{code}", this::getContinent);
        });
    }

    /**
     * A builder for a web service whose permanent session uses {@code transport}.
     *
     * @param transport how to reach the GraphQL backend, e.g. an {@code HttpTransport} or a
     *                  {@code WebSocketTransport}
     */
    public static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    /**
     * The seed's {@code get_root}: an HTML page titled "Continents" that links each continent to its page. Byte
     * for byte what gql's FastAPI example answers, indentation included.
     */
    static String rootPage() {
        String links = CONTINENT_CODES.stream()
                .map(code -> "<a href=\"continent/" + code + "\">" + code + "</a>")
                .collect(Collectors.joining(", "));
        return """

                    <html>
                        <head>
                            <title>Continents</title>
                        </head>
                        <body>
                            Continents: %s
                        </body>
                    </html>
                """.formatted(links);
    }

    /*
     * Why ctx.future and not a blocking wait: while the backend is down every request waits up to the
     * request timeout (5 s by default) for the session to reconnect. A blocking handler would hold one
     * Jetty thread per waiting request, so a burst of requests during an outage would exhaust Jetty's pool
     * and even GET / would stall. With ctx.future Jetty's thread returns at once and the response is
     * written when jgql's future completes. That callback runs on a jgql thread (transport or scheduler),
     * so it only does what is cheap: serialise a small map.
     */
    private void getContinent(Context ctx) {
        String code = ctx.pathParam("code");
        if (!CONTINENT_CODES.contains(code)) {
            ctx.status(404).json(NOT_FOUND);
            return;
        }
        ctx.future(() -> continentInfo(code).handle((data, failure) -> {
            if (failure == null) {
                ctx.json(data);
            } else {
                log.debug("get_continent Error: {}", describe(failure));
                ctx.status(503).json(UNAVAILABLE);
            }
            return null;
        }));
    }

    /**
     * Runs the query on the client's permanent session. Bounded twice: by the call's deadline, the request
     * timeout (waiting for a link, attempts and backoff included), and by a backstop a little longer, so no
     * request can hang even if a future were never completed.
     */
    private CompletableFuture<Map<String, Object>> continentInfo(String code) {
        CompletableFuture<Map<String, Object>> call;
        try {
            // client.session(), as the seed's client.session: the handler needs only the client.
            call = client.session().execute(QUERY, Map.of("code", code));
        } catch (RuntimeException e) { // e.g. JgqlUsageException: closed, shutting down
            return CompletableFuture.failedFuture(e);
        }
        return call.orTimeout(requestTimeout.plus(BACKSTOP_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof TimeoutException ? "no answer within the request timeout" : String.valueOf(cause);
    }

    /** The port the web service listens on (the chosen one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** The root page's URL, e.g. {@code http://127.0.0.1:8000/}. */
    public URI uri() {
        return URI.create("http://" + hostForUri(host) + ":" + port() + "/");
    }

    private static String hostForUri(String host) {
        if (host == null || host.isEmpty() || host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The client holding the permanent session; {@code client.session()} is the session. */
    public Client client() {
        return client;
    }

    /**
     * Stops serving, then closes the permanent session: the seed's {@code shutdown_event}. Idempotent;
     * called by the shutdown hook on Ctrl-C or SIGTERM.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            app.stop();
        } finally {
            out.println("Shutting down GraphQL permanent connection...");
            try {
                client.closeAsync().get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Interrupted while closing the GraphQL permanent connection");
            } catch (ExecutionException | TimeoutException e) {
                log.warn("Closing the GraphQL permanent connection failed: {}", describe(e), e);
            }
            out.println("Shutting down GraphQL permanent connection... done");
        }
    }

    /** Builds and starts a {@link ContinentWebService}. Every setting but the transport has a default. */
    public static final class Builder {
        private final Transport transport;
        private String host = "127.0.0.1";
        private int port = 8000;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private RetryPolicy<Object> retryConnect;
        private PrintStream out = System.out;

        private Builder(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** The address to listen on. Default {@code 127.0.0.1}, as uvicorn's. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The HTTP port; 0 picks a free one. Default 8000, as uvicorn's. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The longest a {@code /continent/{code}} request waits for the backend before answering 503: the
         * deadline of each call (waiting for a reconnect, every attempt and backoff included), and so also the
         * bound of each attempt. Default 5 seconds.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * The policy for (re)connecting the permanent session. Default: jgql's, as gql's — forever,
         * exponential backoff with jitter from 1 s, capped at 60 s.
         */
        public Builder retryConnect(RetryPolicy<Object> retryConnect) {
            this.retryConnect = Objects.requireNonNull(retryConnect, "retryConnect");
            return this;
        }

        /** Where the start-up and shutdown messages go. Default {@code System.out}. */
        public Builder out(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * Connects the permanent session (without waiting for the backend) and starts serving: the seed's
         * {@code startup_event}, then the server. Prints the URL to open.
         *
         * @throws RuntimeException if the server cannot listen (the session is closed again then)
         */
        public ContinentWebService start() {
            Client client = Client.builder()
                    .transport(transport)
                    .executeTimeout(requestTimeout)
                    // jgql's timeout bounds each attempt (as gql's); the request as a whole has this deadline.
                    .defaultCallOptions(CallOptions.builder().deadline(requestTimeout).build())
                    .build();
            ContinentWebService service = new ContinentWebService(this, client);
            try {
                out.println("Connecting to GraphQL backend");
                Reconnect.Builder reconnect = Reconnect.builder().awaitFirstConnection(false);
                if (retryConnect != null) {
                    reconnect.retryConnect(retryConnect);
                }
                // Completes at once: requests wait for the link (up to their timeout) instead of start-up.
                client.connectAsync(reconnect.build()).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                out.println("End of startup");
                service.app.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                service.closeQuietly(e);
                throw new IllegalStateException("Interrupted while starting the web service", e);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                service.closeQuietly(e);
                throw e instanceof RuntimeException r ? r
                        : new IllegalStateException("Could not start the web service: " + describe(e), e);
            }
            out.println("Open " + service.uri());
            return service;
        }
    }

    private void closeQuietly(Throwable failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
