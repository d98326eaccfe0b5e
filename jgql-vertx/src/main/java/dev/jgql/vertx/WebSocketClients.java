package dev.jgql.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.impl.WebSocketClientImpl;
import io.vertx.core.http.impl.tcp.TcpHttpClientTransport;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetClientInternal;
import io.vertx.core.net.impl.tcp.NetClientBuilder;

/**
 * Makes the WebSocket clients of the engine. Vert.x 5.1.1, which jgql builds on, ignores a
 * {@code WebSocketClientOptions}' SSL engine options ({@code createWebSocketClient} never passes
 * them on; fixed in Vert.x 5.1.2, eclipse-vertx/vert.x#6154). So when the transport gave an
 * {@link javax.net.ssl.SSLContext}, the client is assembled here exactly as 5.1.2 assembles it,
 * with the engine options passed on; otherwise Vert.x's public factory makes it. Once jgql is on
 * 5.1.2 or later, {@link #create} can be {@code vertx.createWebSocketClient(options)} alone.
 */
final class WebSocketClients {
    private WebSocketClients() {
    }

    static WebSocketClient create(Vertx vertx, WebSocketClientOptions options) {
        if (options.getSslEngineOptions() == null) {
            return vertx.createWebSocketClient(options);
        }
        HttpClientOptions http = new HttpClientOptions(options);
        http.setDefaultHost(options.getDefaultHost());
        http.setDefaultPort(options.getDefaultPort());
        http.setVerifyHost(options.isVerifyHost());
        http.setShared(false);
        http.setName(options.getName());
        http.setUseAlpn(false);
        http.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpClientConfig config = new HttpClientConfig(http);
        VertxInternal internal = (VertxInternal) vertx;
        NetClientInternal tcp = new NetClientBuilder(internal, config.getTcpConfig())
                .protocol("http")
                .sslOptions(options.getSslOptions())
                .sslEngineOptions(options.getSslEngineOptions())
                .build();
        return new WebSocketClientImpl(internal, http, options, TcpHttpClientTransport.create(tcp, config, false, null), null);
    }
}
