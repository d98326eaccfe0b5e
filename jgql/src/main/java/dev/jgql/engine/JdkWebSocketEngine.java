package dev.jgql.engine;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/** {@link WebSocketEngine} on the JDK's {@link WebSocket}. */
final class JdkWebSocketEngine implements WebSocketEngine {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final boolean ownsClient;
    private final ExecutorService ownThreads;
    private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
    private volatile HttpClient client;

    JdkWebSocketEngine(EngineSettings settings, HttpClient supplied) {
        this.ownsClient = supplied == null;
        this.ownThreads = supplied != null || settings.executor().isPresent() ? null : JdkClients.threads(settings);
        this.client = supplied != null ? supplied : JdkClients.build(settings, settings.executor().orElse(ownThreads));
    }

    @Override
    public CompletableFuture<EngineWebSocket> open(WebSocketEngineRequest request, EngineWebSocket.Listener listener) {
        HttpClient opener = client;
        if (opener == null) {
            return CompletableFuture.failedFuture(new IOException("The WebSocket engine is closed"));
        }
        WebSocket.Builder builder = opener.newWebSocketBuilder().connectTimeout(request.connectTimeout());
        List<String> subprotocols = request.subprotocols();
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        CompletableFuture<WebSocket> opening;
        try {
            request.headers().forEach(builder::header);
            opening = builder.buildAsync(request.uri(), new Adapter(listener));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<EngineWebSocket> result = new CompletableFuture<>();
        opening.whenComplete((webSocket, failure) -> {
            if (failure != null) {
                result.completeExceptionally(rejection(failure));
            } else if (client == null || !result.complete(new Socket(webSocket))) {
                webSocket.abort(); // abandoned, or the engine closed meanwhile
            } else {
                open.add(webSocket);
            }
        });
        result.whenComplete((socket, failure) -> {
            if (result.isCancelled()) {
                opening.cancel(true);
            }
        });
        return result;
    }

    /** A refused handshake as the engine SPI reports it; anything else unchanged. */
    private static Throwable rejection(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
            HttpResponse<?> response = refused.getResponse();
            Object body = response.body();
            byte[] bytes = body instanceof byte[] array ? array
                    : body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
            HttpHeaders headers = response.headers() == null ? NO_HEADERS : response.headers();
            String message = response.statusCode() == 101
                    ? "the JDK rejected the server's upgrade (" + refused.getMessage() + ")"
                    : "the server answered the upgrade with HTTP " + response.statusCode();
            UpgradeRejectedException rejected = new UpgradeRejectedException(message, response.statusCode(), headers, bytes);
            rejected.initCause(refused);
            return rejected;
        }
        return cause;
    }

    @Override
    public CompletableFuture<Void> close() {
        HttpClient closed;
        synchronized (this) {
            closed = client;
            client = null;
        }
        for (WebSocket webSocket : open) {
            webSocket.abort();
        }
        open.clear();
        if (closed != null && ownsClient) {
            JdkClients.release(closed);
        }
        if (ownThreads != null) {
            ownThreads.shutdown();
        }
        return DONE;
    }

    private static CompletableFuture<Void> done(CompletableFuture<WebSocket> sent) {
        if (sent.isDone() && !sent.isCompletedExceptionally()) {
            return DONE;
        }
        return sent.thenApply(webSocket -> null);
    }

    /** The JDK socket seen through the engine SPI. */
    private final class Socket implements EngineWebSocket {
        private final WebSocket webSocket;

        Socket(WebSocket webSocket) {
            this.webSocket = webSocket;
        }

        @Override
        public String subprotocol() {
            String chosen = webSocket.getSubprotocol();
            return chosen == null ? "" : chosen;
        }

        @Override
        public CompletableFuture<Void> sendText(String text) {
            try {
                return done(webSocket.sendText(text, true));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Void> sendPing(ByteBuffer data) {
            try {
                return done(webSocket.sendPing(data));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Void> sendClose(int code, String reason) {
            try {
                return done(webSocket.sendClose(code, reason));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public void request(long n) {
            webSocket.request(n);
        }

        @Override
        public void abort() {
            open.remove(webSocket);
            webSocket.abort();
        }

        @Override
        public boolean isOutputClosed() {
            return webSocket.isOutputClosed();
        }

        @Override
        public boolean isInputClosed() {
            return webSocket.isInputClosed();
        }
    }

    /**
     * Forwards the JDK's callbacks. Demand for data is the transport's; the JDK also counts ping
     * and pong frames against it, so the adapter asks again for those itself. The JDK answers
     * pings with pongs by itself.
     */
    private final class Adapter implements WebSocket.Listener {
        private final EngineWebSocket.Listener listener;

        Adapter(EngineWebSocket.Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            // No request(1) here, unlike the JDK's default: nothing is read before the transport asks.
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            listener.onText(data, last);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            listener.onBinary(data, last);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            try {
                listener.onPong(message);
            } finally {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            open.remove(webSocket);
            listener.onClose(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            open.remove(webSocket);
            listener.onError(error);
        }
    }
}
