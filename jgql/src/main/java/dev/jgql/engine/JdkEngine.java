package dev.jgql.engine;

import java.net.http.HttpClient;
import java.util.Objects;

/**
 * The engine on the JDK's own {@code java.net.http} ({@link HttpClient} and
 * {@link java.net.http.WebSocket}): no extra dependency, HTTP/1.1 and HTTP/2, TLS with the JDK's
 * trust store or a given {@link javax.net.ssl.SSLContext}. The default engine of every transport.
 *
 * <pre>{@code
 * HttpTransport transport = HttpTransport.builder(uri).engine(JdkEngine.create()).build();
 * // or with an HttpClient of the application's, which jgql never closes:
 * HttpTransport shared = HttpTransport.builder(uri).engine(JdkEngine.using(httpClient)).build();
 * }</pre>
 *
 * <h2>Threads and connections</h2>
 * Each engine it makes owns an {@link HttpClient} (its selector thread and connection pool) and a
 * pool of daemon threads named {@code jgql-http-N-…} or {@code jgql-ws-N-…}, released when the
 * engine closes (on JDK 17 the client's selector thread ends once it is garbage collected: JDK 17
 * has no {@code HttpClient.close()}). Over HTTP/1.1 the client opens one connection per
 * concurrent request and keeps them alive for reuse.
 *
 * <p>On JDKs whose {@code HttpClient.sendAsync} completes every response through a new thread
 * (JDK 17 to 20 on machines with one or two cores, where the common fork-join pool has no
 * parallelism), the engine sends with the synchronous {@code send} on its own reused threads
 * instead, which is up to three times faster there. Elsewhere it uses {@code sendAsync}.
 */
public final class JdkEngine implements Engine {
    private static final JdkEngine DEFAULT = new JdkEngine(null);

    private final HttpClient httpClient;

    private JdkEngine(HttpClient httpClient) {
        this.httpClient = httpClient;
    }

    /**
     * The JDK engine with clients of its own, built from each transport's settings.
     *
     * @return the engine
     */
    public static JdkEngine create() {
        return DEFAULT;
    }

    /**
     * The JDK engine sending with an {@link HttpClient} of the application's. jgql never closes
     * it, and its own version, timeouts, TLS context and executor apply: the transport's
     * {@link EngineSettings} are then ignored.
     *
     * @param httpClient the client to send and open WebSockets with
     * @return the engine
     */
    public static JdkEngine using(HttpClient httpClient) {
        return new JdkEngine(Objects.requireNonNull(httpClient, "httpClient"));
    }

    @Override
    public HttpEngine newHttpEngine(EngineSettings settings) {
        return new JdkHttpEngine(settings, httpClient);
    }

    @Override
    public WebSocketEngine newWebSocketEngine(EngineSettings settings) {
        return new JdkWebSocketEngine(settings, httpClient);
    }

    @Override
    public String toString() {
        return httpClient == null ? "JdkEngine" : "JdkEngine{application's HttpClient}";
    }
}
