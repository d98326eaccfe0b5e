package dev.jgql.vertx;

import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.EngineWebSocket;
import dev.jgql.engine.WebSocketEngine;
import dev.jgql.engine.WebSocketEngineRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.ClientWebSocketInternal;
import io.vertx.core.internal.http.WebSocketInternal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link WebSocketEngine} on a Vert.x 5 {@code WebSocketClient} of its own.
 *
 * <p>Text frames reach the listener as the UTF-8 bytes Netty read ({@code onTextBytes}), so the
 * transport parses even a large result from bytes without building a String. Vert.x answers pings
 * with pongs by itself, also while the transport asks for nothing; pongs reach the listener at
 * once. A server's close frame is answered by Vert.x at once, echoing its code (RFC 6455 5.5.1),
 * so {@link EngineWebSocket#isOutputClosed()} is then true. Demand is kept here: frames beyond
 * what the transport asked for stay in Vert.x's queue (the socket is paused).
 */
final class VertxWebSocketEngine implements WebSocketEngine {
    /**
     * The largest single frame accepted (Netty reads a frame whole before handing it over).
     * Messages may be larger when fragmented; the transport's {@code maxMessageSize} bounds them.
     */
    static final int MAX_FRAME_SIZE = 64 * 1024 * 1024;

    private final VertxEngine.Lease lease;
    private final Vertx vertx;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closing = new CompletableFuture<>();
    private volatile WebSocketClient client;

    VertxWebSocketEngine(VertxEngine.Lease lease, EngineSettings settings) {
        this.lease = lease;
        this.vertx = lease.vertx;
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .setMaxFrameSize(MAX_FRAME_SIZE)
                .setMaxMessageSize(MAX_FRAME_SIZE)
                .setVerifyHost(true)
                .setTcpNoDelay(true)
                .setName("jgql-" + settings.name());
        settings.sslContext().ifPresent(context -> options.setSslEngineOptions(new ContextSslEngineOptions(context)));
        this.client = WebSocketClients.create(vertx, options);
    }

    @Override
    public CompletableFuture<EngineWebSocket> open(WebSocketEngineRequest request, EngineWebSocket.Listener listener) {
        Objects.requireNonNull(listener, "listener");
        WebSocketClient opener = client;
        if (opener == null) {
            return CompletableFuture.failedFuture(new IOException("The WebSocket engine is closed"));
        }
        WebSocketConnectOptions options;
        try {
            options = options(request);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, listener);
        ClientWebSocket webSocket = opener.webSocket();
        webSocket.frameHandler(socket::frame);
        webSocket.pongHandler(socket::pong);
        webSocket.exceptionHandler(socket::failed);
        webSocket.closeHandler(ignored -> socket.connectionClosed());
        long millis = Math.max(1, request.connectTimeout().toMillis());
        long timer = vertx.setTimer(millis, id -> {
            if (socket.opening.completeExceptionally(VertxFailures.connectTimedOut(millis))) {
                socket.abort();
            }
        });
        Future<WebSocket> connecting;
        try {
            connecting = ((ClientWebSocketInternal) webSocket).connect(context, options);
        } catch (RuntimeException e) {
            connecting = Future.failedFuture(e);
        }
        connecting.onComplete(connected -> {
            vertx.cancelTimer(timer);
            socket.connected((WebSocketInternal) connected);
        }, failure -> {
            vertx.cancelTimer(timer);
            Throwable refused = VertxFailures.upgrade(failure);
            socket.opening.completeExceptionally(refused != null ? refused : VertxFailures.connect(failure));
        });
        socket.opening.whenComplete((value, failure) -> {
            if (socket.opening.isCancelled()) {
                socket.abort();
            }
        });
        return socket.opening;
    }

    private static WebSocketConnectOptions options(WebSocketEngineRequest request) {
        Endpoint endpoint = Endpoint.of(request.uri(), "ws", "wss");
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        request.headers().forEach(headers::add);
        return new WebSocketConnectOptions()
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(endpoint.target())
                .setHeaders(headers)
                .setSubProtocols(request.subprotocols().isEmpty() ? null : request.subprotocols())
                .setConnectTimeout(Math.max(1, request.connectTimeout().toMillis()));
    }

    @Override
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return closing;
        }
        WebSocketClient last = client;
        client = null;
        for (Socket socket : open) {
            socket.abort();
        }
        open.clear();
        Future<Void> closed = last == null ? Future.succeededFuture() : last.close();
        closed.onComplete(ignored -> lease.release().whenComplete((done, failure) -> closing.complete(null)));
        return closing;
    }

    /**
     * One socket: the handshake's future, the listener's demand, and the Vert.x socket once open.
     * Every Vert.x callback runs on {@link #context}, so the listener is called one call at a time.
     */
    private final class Socket implements EngineWebSocket {
        final CompletableFuture<EngineWebSocket> opening = new CompletableFuture<>();
        private final Context context;
        private final EngineWebSocket.Listener listener;
        private volatile WebSocketInternal webSocket;
        private volatile boolean closeSent;
        private volatile boolean inputClosed;
        // on the event loop only
        private final ArrayDeque<WebSocketFrame> held = new ArrayDeque<>();
        private long demand;
        private boolean paused;
        private boolean textMessage;
        private boolean ended;

        Socket(Context context, EngineWebSocket.Listener listener) {
            this.context = context;
            this.listener = listener;
        }

        void connected(WebSocketInternal connected) {
            webSocket = connected;
            if (client == null || !opening.complete(this)) {
                abort(); // abandoned, timed out, or the engine closed meanwhile
                return;
            }
            open.add(this);
        }

        // ------------------------------------------------------------ incoming, on the event loop

        void frame(WebSocketFrame frame) {
            if (frame.type() == WebSocketFrameType.PING || frame.type() == WebSocketFrameType.PONG) {
                return; // Vert.x answered the ping; the pong went to pong()
            }
            if (!held.isEmpty() || demand == 0 || !opening.isDone()) {
                held.add(frame);
                pause();
                return;
            }
            demand--;
            deliver(frame);
        }

        private void deliver(WebSocketFrame frame) {
            if (ended) {
                return;
            }
            if (frame.isClose()) {
                end();
                inputClosed = true;
                Short code = frame.closeStatusCode();
                listener.onClose(code == null || code <= 0 ? 1005 : code, frame.closeReason() == null ? "" : frame.closeReason());
                return;
            }
            boolean text = frame.isText() || frame.isContinuation() && textMessage;
            if (frame.isText() || frame.isBinary()) {
                textMessage = frame.isText();
            }
            ByteBuffer data = ((BufferInternal) frame.binaryData()).getByteBuf().nioBuffer();
            if (text) {
                listener.onTextBytes(data, frame.isFinal());
            } else {
                listener.onBinary(data, frame.isFinal());
            }
        }

        void pong(Buffer data) {
            if (!ended) {
                listener.onPong(((BufferInternal) data).getByteBuf().nioBuffer());
            }
        }

        void failed(Throwable failure) {
            if (failure instanceof io.vertx.core.http.HttpClosedException) {
                return; // the connection closed: connectionClosed() tells the listener
            }
            if (!opening.isDone() || ended) {
                return; // a failed handshake fails the open future instead
            }
            end();
            inputClosed = true;
            listener.onError(VertxFailures.exchange(failure));
            abort();
        }

        void connectionClosed() {
            inputClosed = true;
            open.remove(this);
            if (ended || !opening.isDone() || opening.isCompletedExceptionally()) {
                return;
            }
            // The connection is gone: a close frame still queued behind frames nobody asked for is
            // told now, with the code Vert.x read from it (1006 if none came).
            WebSocketInternal current = webSocket;
            Short code = current == null ? null : current.closeStatusCode();
            String reason = current == null ? null : current.closeReason();
            end();
            listener.onClose(code == null ? 1006 : code, reason == null ? "" : reason);
        }

        private void end() {
            ended = true;
            held.clear();
            open.remove(this);
        }

        private void pause() {
            WebSocketInternal current = webSocket;
            if (!paused && current != null) {
                paused = true;
                current.pause();
            }
        }

        private void onContext(Runnable action) {
            if (Vertx.currentContext() == context) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }

        // ------------------------------------------------------------ EngineWebSocket

        @Override
        public String subprotocol() {
            WebSocketInternal current = webSocket;
            String chosen = current == null ? null : current.subProtocol();
            return chosen == null ? "" : chosen;
        }

        @Override
        public CompletableFuture<Void> sendText(String text) {
            WebSocketInternal current = webSocket;
            if (current == null || isOutputClosed()) {
                return CompletableFuture.failedFuture(new IOException("The WebSocket is closed"));
            }
            return VertxFutures.toCompletableIo(current.writeTextMessage(text));
        }

        @Override
        public CompletableFuture<Void> sendPing(ByteBuffer data) {
            WebSocketInternal current = webSocket;
            if (current == null || isOutputClosed()) {
                return CompletableFuture.failedFuture(new IOException("The WebSocket is closed"));
            }
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return VertxFutures.toCompletableIo(current.writePing(Buffer.buffer(bytes)));
        }

        @Override
        public CompletableFuture<Void> sendClose(int code, String reason) {
            WebSocketInternal current = webSocket;
            if (current == null || isOutputClosed()) {
                return CompletableFuture.failedFuture(new IOException("The WebSocket is closed"));
            }
            closeSent = true;
            // Completes once the server answered (or Vert.x's closing timeout passed) and the
            // connection closed; the transport bounds that wait with its own close timeout.
            return VertxFutures.toCompletableIo(current.close((short) code, reason));
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("request(n) needs a positive n, not " + n);
            }
            onContext(() -> {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                while (demand > 0 && !held.isEmpty() && !ended) {
                    demand--;
                    deliver(held.poll());
                }
                WebSocketInternal current = webSocket;
                if (demand > 0 && held.isEmpty() && paused && current != null && !ended) {
                    paused = false;
                    current.resume();
                }
            });
        }

        @Override
        public void abort() {
            open.remove(this);
            WebSocketInternal current = webSocket;
            if (current != null) {
                inputClosed = true;
                // From the head of the pipeline: a plain channel close would pass Vert.x's handler,
                // which turns it into a close handshake (a 1000 frame) instead of a drop. What
                // Vert.x already wrote (its echo of a server's close frame) is flushed first.
                io.netty.channel.Channel channel = current.channelHandlerContext().channel();
                channel.flush();
                io.netty.channel.ChannelHandlerContext first = channel.pipeline().firstContext();
                if (first != null) {
                    first.close();
                } else {
                    channel.close();
                }
            }
        }

        @Override
        public boolean isOutputClosed() {
            WebSocketInternal current = webSocket;
            return closeSent || current == null || current.isClosed();
        }

        @Override
        public boolean isInputClosed() {
            return inputClosed;
        }
    }
}
