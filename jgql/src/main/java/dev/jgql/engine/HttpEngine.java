package dev.jgql.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Sends HTTP requests for one connection of an HTTP transport: the bytes on the wire, nothing of
 * GraphQL. Made by {@link Engine#newHttpEngine}, owned and closed by that connection.
 * Thread-safe: any number of requests may be in flight at once.
 *
 * <pre>{@code
 * HttpEngine engine = JdkEngine.create().newHttpEngine(EngineSettings.defaults());
 * HttpEngineResponse response = engine.execute(HttpEngineRequest.post(uri, body)
 *         .header("Content-Type", "application/json")
 *         .build()).join();
 * engine.close().join();
 * }</pre>
 *
 * <h2>How an exchange ends</h2>
 * The future of {@link #execute} completes with the response once its status and headers have
 * arrived and, unless the request asked to stream this response
 * ({@link HttpEngineRequest#responseMode()}), its whole body too. Any status is a response, never
 * a failure. It completes exceptionally with the engine's I/O failure, expressed in the JDK's
 * vocabulary so that transports classify it in one place whatever the engine:
 * <ul>
 *   <li>{@link java.net.ConnectException}, {@link java.net.UnknownHostException},
 *       {@link java.nio.channels.UnresolvedAddressException},
 *       {@link java.net.NoRouteToHostException}, {@link javax.net.ssl.SSLHandshakeException},
 *       {@link java.net.http.HttpConnectTimeoutException}: no connection was made, so no byte of
 *       the request left the client;</li>
 *   <li>{@link java.net.http.HttpTimeoutException}: the request's own
 *       {@link HttpEngineRequest#timeout() timeout} passed;</li>
 *   <li>{@link ResponseTooLargeException}: a whole body exceeded
 *       {@link HttpEngineRequest#maxResponseSize()};</li>
 *   <li>any other {@link java.io.IOException}: the exchange broke after it had started.</li>
 * </ul>
 * An engine may wrap these (in a {@code CompletionException}, or as a cause); transports look at
 * the causes. Cancelling the future abandons the exchange and frees its connection.
 */
public interface HttpEngine {

    /**
     * Sends one request.
     *
     * @param request what to send
     * @return the response; see the class comment for how it completes
     */
    CompletableFuture<HttpEngineResponse> execute(HttpEngineRequest request);

    /**
     * Stops reusing the connections pooled so far, because they may be dead (a request timed out
     * on one, an outage happened): requests from now on open new connections, requests in flight
     * finish on theirs. Default: does nothing, for engines without a pool.
     */
    default void discardPooledConnections() {
    }

    /**
     * Releases the engine's connections and threads; requests in flight fail, and streamed bodies
     * still being read end with {@code onError} (an {@link java.io.IOException}) and their
     * connections are closed. Idempotent.
     *
     * @return completes when everything is released, within a bounded time
     */
    CompletableFuture<Void> close();
}
