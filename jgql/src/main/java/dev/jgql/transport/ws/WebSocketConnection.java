package dev.jgql.transport.ws;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.internal.Futures;
import dev.jgql.internal.GraphQLJson;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One WebSocket link speaking one protocol. It goes HANDSHAKE → AWAITING_ACK → READY → CLOSED;
 * {@link #ready} completes at READY, or fails if the link ends before. Every way the link can end
 * goes through {@link #end}, which fails the pending operations, completes {@link #whenClosed()}
 * and closes the socket (a close frame, bounded by the close timeout, or an abort).
 *
 * <p>Threads: the JDK calls the listener serially; it parses and routes under {@link #lock}
 * without calling user code. Futures, subscribers and {@code whenClosed} dependents run on the
 * executor of {@link ConnectionResources}. Timers run on the context's scheduler. Sends go through
 * {@link #outbox}, one at a time, because the JDK WebSocket allows one outstanding text send.
 */
final class WebSocketConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final int ABORT = 0;

    enum State { HANDSHAKE, AWAITING_ACK, READY, CLOSED }

    /** Why and how the link ended. */
    private record Ending(Throwable connectFailure, Function<Operation, Throwable> operationFailure,
            TransportClosedException reason, boolean byClient, int wireCode, String wireReason, boolean awaitPeer) {
    }

    private record Outgoing(String text, Operation operation, String description) {
    }

    private final WebSocketTransport config;
    private final TransportContext context;
    private final ConnectionResources resources;
    private final Wire wire;
    private final boolean mayFallBack;
    private final String where;

    private final Object lock = new Object();
    // guarded by lock
    private State state = State.HANDSHAKE;
    private WebSocket socket;
    private CompletableFuture<WebSocket> handshake;
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private long lastId;
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    private boolean sending;
    private String initMessage;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> ackTimer;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pongDeadline;
    private ScheduledFuture<?> protocolPingTimer;
    private ScheduledFuture<?> protocolPongDeadline;
    private ScheduledFuture<?> keepAliveDeadline;
    private ScheduledFuture<?> closeTimer;
    private boolean awaitingPong;
    private boolean awaitingProtocolPong;
    private boolean finished;
    private Ending ending;
    private String subprotocol = "";

    private volatile boolean fallbackSuggested;
    /** Fragments of the message being received; only touched by the listener, which the JDK calls serially. */
    private final StringBuilder partial = new StringBuilder();
    private boolean discarding;

    private final CompletableFuture<WebSocketConnection> ready = new CompletableFuture<>();
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    WebSocketConnection(WebSocketTransport config, TransportContext context, ConnectionResources resources,
            WebSocketProtocol protocol, boolean mayFallBack) {
        this.config = config;
        this.context = context;
        this.resources = resources;
        this.where = WebSocketTransport.redact(config.uri);
        this.wire = new Wire(protocol, context.objectMapper(), where);
        this.mayFallBack = mayFallBack;
        resources.retain();
    }

    // =================================================================== opening

    /** Starts the handshake; {@link #ready} tells how it ends. */
    void open(Map<String, Object> initPayload) {
        HttpClient client = resources.client();
        String init;
        try {
            init = wire.connectionInit(initPayload);
        } catch (TransportException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            end(connectFailed(new TransportException("Could not serialise the init payload for " + where
                    + " (its content is not shown): " + cause.getClass().getName(), cause)));
            return;
        }
        if (client == null) {
            end(connectFailed(new TransportClosedException("The WebSocket transport's connect to " + where
                    + " was abandoned")));
            return;
        }
        WebSocket.Builder builder = client.newWebSocketBuilder()
                .subprotocols(wire.protocol().subprotocol())
                .connectTimeout(config.connectTimeout);
        config.headers.forEach(builder::header);
        synchronized (lock) {
            initMessage = init;
            connectTimer = schedule(config.connectTimeout, this::connectTimedOut);
        }
        LOG.debug("Opening a WebSocket to {} offering {}", where, wire.protocol().subprotocol());
        CompletableFuture<WebSocket> opening;
        try {
            opening = builder.buildAsync(config.uri, new Listener());
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        synchronized (lock) {
            handshake = opening;
        }
        opening.whenComplete((webSocket, failure) -> {
            if (failure != null) {
                handshakeFailed(Futures.unwrap(failure));
                return;
            }
            boolean stale;
            synchronized (lock) {
                stale = state == State.CLOSED && socket == null;
            }
            if (stale) {
                webSocket.abort();
            }
        });
    }

    CompletableFuture<WebSocketConnection> ready() {
        return ready;
    }

    boolean fallbackSuggested() {
        return fallbackSuggested;
    }

    WebSocketProtocol protocol() {
        return wire.protocol();
    }

    /** The subprotocol the server selected in the handshake; empty if none. */
    String negotiatedSubprotocol() {
        synchronized (lock) {
            return subprotocol;
        }
    }

    /** Whether a ping frame is waiting for its pong (for tests that drive keep-alive). */
    boolean awaitingPong() {
        synchronized (lock) {
            return awaitingPong;
        }
    }

    /** How many operations are active (for tests). */
    int activeOperations() {
        synchronized (lock) {
            return operations.size();
        }
    }

    private void opened(WebSocket webSocket) {
        boolean stale;
        String negotiated = webSocket.getSubprotocol() == null ? "" : webSocket.getSubprotocol();
        synchronized (lock) {
            stale = state != State.HANDSHAKE;
            if (!stale) {
                socket = webSocket;
                subprotocol = negotiated;
                cancel(connectTimer);
            }
        }
        if (stale) {
            webSocket.abort();
            return;
        }
        // Read on, whatever happens next: the server's close frame must be read too.
        webSocket.request(1);
        if (negotiated.isEmpty() && mayFallBack) {
            fallbackSuggested = true;
            TransportConnectionFailedException failure = new TransportConnectionFailedException("The server at " + where
                    + " accepted the WebSocket handshake without selecting the offered subprotocol "
                    + wire.protocol().subprotocol() + "; set WebSocketTransport.Builder.protocol if it speaks it anyway",
                    false, null);
            end(new Ending(failure, op -> failure, failure, false, 1000, "", true));
            return;
        }
        LOG.debug("WebSocket to {} open with subprotocol '{}'", where, negotiated);
        synchronized (lock) {
            state = State.AWAITING_ACK;
            outbox.add(new Outgoing(initMessage, null, "connection_init"));
            initMessage = null;
            ackTimer = schedule(config.ackTimeout, this::ackTimedOut);
        }
        pump();
    }

    private void handshakeFailed(Throwable failure) {
        TransportException classified = classifyHandshakeFailure(failure);
        end(connectFailed(classified));
    }

    private TransportException classifyHandshakeFailure(Throwable failure) {
        if (failure instanceof TransportException transport) {
            return transport;
        }
        if (failure instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
            HttpResponse<?> response = refused.getResponse();
            int status = response.statusCode();
            // A refusal may mean "not this subprotocol"; not when it is about credentials, the
            // path or load, which the other protocol will not fix.
            fallbackSuggested = mayFallBack && status != 401 && status != 403 && status != 404 && status != 407
                    && status != 429 && status < 500;
            String body = excerpt(response.body());
            String message = status == 101
                    ? "The server at " + where + " answered the WebSocket handshake in a way the JDK rejects ("
                            + refused.getMessage() + "); it may not speak " + wire.protocol().subprotocol()
                    : "The server at " + where + " refused the WebSocket handshake with HTTP " + status + ": "
                            + hint(status) + (body.isEmpty() ? "" : ". Body: " + body);
            return new TransportServerException(message, status, body, null, response.headers().map());
        }
        if (failure instanceof HttpTimeoutException) {
            return new TransportConnectionFailedException("No WebSocket handshake with " + where + " within "
                    + config.connectTimeout.toMillis() + " ms; nothing was sent", false, failure);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                    || cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return new TransportConnectionFailedException("Could not connect to " + where + " (" + cause
                        + "); nothing was sent. Is the server running?", false, failure);
            }
        }
        return new TransportConnectionFailedException("The WebSocket handshake with " + where + " failed (" + failure
                + "); no operation was sent", false, failure);
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> "the server refused the credentials; check the handshake headers (not shown)";
            case 404 -> "check the endpoint URL";
            case 400, 426 -> "the server does not take this WebSocket request here (wrong path or subprotocol?)";
            case 429 -> "the server is rate limiting";
            default -> status >= 500 ? "the server failed; retry later" : "the server rejected the handshake";
        };
    }

    private static String excerpt(Object body) {
        if (body instanceof byte[] bytes) {
            return bytes.length == 0 ? "" : GraphQLJson.excerpt(bytes);
        }
        if (body instanceof String text) {
            return text.isEmpty() ? "" : GraphQLJson.excerpt(text.getBytes(StandardCharsets.UTF_8));
        }
        return "";
    }

    private void connectTimedOut() {
        CompletableFuture<WebSocket> opening;
        synchronized (lock) {
            opening = handshake;
        }
        end(connectFailed(new TransportConnectionFailedException("No WebSocket handshake with " + where + " within "
                + config.connectTimeout.toMillis() + " ms (connectTimeout); nothing was sent", false, null)));
        if (opening != null) {
            opening.cancel(true);
        }
    }

    private void ackTimedOut() {
        WebSocketClosedException failure = new WebSocketClosedException("No connection_ack from " + where + " within "
                + config.ackTimeout.toMillis() + " ms after connection_init (ackTimeout); the server may not speak "
                + wire.protocol().subprotocol() + " or may be overloaded. The socket was closed with 4504",
                CloseCodes.ACK_TIMEOUT, "connection_ack timeout", false, null);
        end(new Ending(failure, op -> failure, failure, false, CloseCodes.ACK_TIMEOUT, "Connection acknowledgement timeout",
                true));
    }

    private Ending connectFailed(TransportException failure) {
        TransportClosedException reason = failure instanceof TransportClosedException closedFailure ? closedFailure
                : new TransportConnectionFailedException(failure.getMessage(), false, failure);
        return new Ending(failure, op -> failure, reason, false, ABORT, "", false);
    }

    // =================================================================== operations

    @Override
    public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        Operation operation = Operation.single(request);
        start(operation);
        operation.future.whenComplete((result, failure) -> {
            if (operation.future.isCancelled()) {
                cancel(operation);
            }
        });
        return operation.future;
    }

    @Override
    public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
        java.util.Objects.requireNonNull(request, "request");
        return subscriber -> {
            java.util.Objects.requireNonNull(subscriber, "subscriber");
            StreamSubscription subscription = new StreamSubscription(subscriber, resources.executor,
                    config.subscriptionBufferSize);
            Operation operation = Operation.stream(request, subscription);
            subscription.open(new StreamSubscription.Owner() {
                @Override
                public void start() {
                    WebSocketConnection.this.start(operation);
                }

                @Override
                public void cancel() {
                    WebSocketConnection.this.cancel(operation);
                }
            });
        };
    }

    private void start(Operation operation) {
        Throwable failure = null;
        synchronized (lock) {
            if (state != State.READY) {
                failure = closedFailure(operation.request.toString());
            } else {
                operation.id = Long.toString(++lastId);
                try {
                    outbox.add(new Outgoing(wire.start(operation.id, operation.request), operation,
                            wire.startType() + " " + operation.id));
                    operations.put(operation.id, operation);
                } catch (TransportException e) {
                    failure = e;
                    operation.finished = true;
                }
            }
        }
        if (failure != null) {
            fail(operation, failure);
            return;
        }
        pump();
    }

    /** The caller gave up on an operation: forget it and, if the server has it, stop it there. */
    private void cancel(Operation operation) {
        boolean stop;
        synchronized (lock) {
            if (operation.finished) {
                return;
            }
            operation.finished = true;
            operations.remove(operation.id, operation);
            stop = operation.handed && state == State.READY;
            if (stop) {
                outbox.add(new Outgoing(wire.stop(operation.id), null, wire.protocol() == WebSocketProtocol.GRAPHQL_WS
                        ? "stop " + operation.id : "complete " + operation.id));
            }
        }
        if (stop) {
            pump();
        }
    }

    /** Removes an active operation; false if it already ended (then the caller must not signal it). */
    private boolean finish(Operation operation) {
        synchronized (lock) {
            if (operation.finished) {
                return false;
            }
            operation.finished = true;
            operations.remove(operation.id, operation);
            return true;
        }
    }

    private void fail(Operation operation, Throwable failure) {
        if (operation.future != null) {
            deliver(() -> operation.future.completeExceptionally(failure));
        } else {
            operation.stream.fail(failure);
        }
    }

    private Throwable closedFailure(String what) {
        Ending end = ending;
        if (end == null) {
            return new TransportClosedException("The WebSocket connection to " + where + " is not open; " + what
                    + " was not sent");
        }
        if (end.byClient) {
            return new TransportClosedException("The WebSocket connection to " + where + " was closed by the client; "
                    + what + " was not sent");
        }
        TransportClosedException reason = end.reason;
        String message = "The WebSocket connection to " + where + " had already ended, so " + what + " was not sent: "
                + reason.getMessage();
        if (reason instanceof WebSocketClosedException closedWith) {
            return new WebSocketClosedException(message, closedWith.closeCode(), closedWith.closeReason(), false, reason);
        }
        return new TransportConnectionFailedException(message, false, reason);
    }

    // =================================================================== sending

    private void pump() {
        while (true) {
            Outgoing next;
            WebSocket webSocket;
            synchronized (lock) {
                if (sending || state == State.CLOSED || socket == null) {
                    return;
                }
                next = outbox.poll();
                while (next != null && next.operation != null && next.operation.finished) {
                    next = outbox.poll();
                }
                if (next == null) {
                    return;
                }
                if (next.operation != null) {
                    next.operation.handed = true;
                }
                sending = true;
                webSocket = socket;
            }
            LOG.debug(">>> {} to {}", next.description, where);
            CompletableFuture<WebSocket> sent;
            try {
                sent = webSocket.sendText(next.text, true);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                synchronized (lock) {
                    sending = false;
                }
                continue;
            }
            sent.whenComplete((ignored, failure) -> {
                synchronized (lock) {
                    sending = false;
                }
                if (failure != null) {
                    linkBroken(Futures.unwrap(failure));
                } else {
                    pump();
                }
            });
            return;
        }
    }

    private void send(String text, String description) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            outbox.add(new Outgoing(text, null, description));
        }
        pump();
    }

    // =================================================================== receiving

    private void onText(CharSequence data, boolean last) {
        if (discarding) {
            discarding = !last;
            return;
        }
        if ((long) partial.length() + data.length() > config.maxMessageSize) {
            partial.setLength(0);
            partial.trimToSize();
            discarding = !last;
            messageTooBig();
            return;
        }
        String text;
        if (last && partial.length() == 0) {
            text = data.toString();
        } else {
            partial.append(data);
            if (!last) {
                return;
            }
            text = partial.toString();
            partial.setLength(0);
        }
        handle(text);
    }

    private void handle(String text) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
        }
        Wire.Incoming message;
        try {
            message = wire.read(text);
        } catch (TransportProtocolException e) {
            protocolViolation(e);
            return;
        }
        LOG.debug("<<< {}{} from {}", message.type(), message.id() == null ? "" : " " + message.id(), where);
        switch (message.kind()) {
            case ACK -> acknowledged(text);
            case PING -> send(wire.pong(), "pong");
            case PONG -> protocolPong();
            case KEEP_ALIVE -> keepAlive();
            case NEXT, ERROR, COMPLETE -> operationMessage(message, text);
            case CONNECTION_ERROR -> connectionError(message.detail());
            case ERROR_WITHOUT_ID -> LOG.warn("The server at {} reported an error tied to no operation: {}", where,
                    message.detail());
            default -> throw new IllegalStateException("Unhandled message kind " + message.kind());
        }
    }

    private void acknowledged(String text) {
        boolean second;
        synchronized (lock) {
            if (state != State.AWAITING_ACK && state != State.READY) {
                return;
            }
            second = state == State.READY;
            if (!second) {
                state = State.READY;
                cancel(ackTimer);
                ackTimer = null;
            }
        }
        if (second) {
            protocolViolation(wire.violation("a second connection_ack", text));
            return;
        }
        LOG.debug("WebSocket to {} acknowledged ({})", where, wire.protocol().subprotocol());
        schedulePing();
        scheduleProtocolPing();
        deliver(() -> ready.complete(this));
    }

    private void connectionError(String detail) {
        State current;
        synchronized (lock) {
            current = state;
        }
        if (current != State.AWAITING_ACK) {
            LOG.warn("The server at {} sent connection_error after the acknowledgement: {}", where, detail);
            return;
        }
        WebSocketClosedException failure = new WebSocketClosedException("The server at " + where
                + " rejected connection_init with connection_error (" + detail + "); check the init payload and headers "
                + "(not shown)", 4403, detail, false, null);
        end(new Ending(failure, op -> failure, failure, false, 1000, "", true));
    }

    private void operationMessage(Wire.Incoming message, String text) {
        Operation operation;
        synchronized (lock) {
            if (state == State.AWAITING_ACK) {
                operation = null;
            } else {
                operation = operations.get(message.id());
                if (operation == null) {
                    LOG.debug("Ignoring '{}' for operation {}, which is finished or unknown", message.type(), message.id());
                    return;
                }
            }
        }
        if (operation == null) {
            protocolViolation(wire.violation("a '" + message.type() + "' message before connection_ack", text));
            return;
        }
        switch (message.kind()) {
            case NEXT -> {
                if (operation.future != null) {
                    if (finish(operation)) {
                        deliver(() -> operation.future.complete(message.result()));
                    }
                } else if (!operation.stream.offer(message.result())) {
                    overflow(operation);
                }
            }
            case ERROR -> {
                if (finish(operation)) {
                    if (operation.future != null) {
                        deliver(() -> operation.future.complete(message.result()));
                    } else {
                        operation.stream.fail(new TransportQueryException(message.result()));
                    }
                }
            }
            case COMPLETE -> {
                if (finish(operation)) {
                    if (operation.future != null) {
                        deliver(() -> operation.future.completeExceptionally(new TransportProtocolException("The server at "
                                + where + " completed " + operation + " without sending a result")));
                    } else {
                        operation.stream.complete();
                    }
                }
            }
            default -> throw new IllegalStateException("Not an operation message: " + message.kind());
        }
    }

    private void overflow(Operation operation) {
        cancel(operation);
        LOG.debug("Subscription {} on {} overflowed its buffer of {}", operation.id, where, config.subscriptionBufferSize);
        operation.stream.failNow(new SubscriptionBufferOverflowException("The subscriber of " + operation + " on " + where
                + " did not keep up: more than " + config.subscriptionBufferSize + " events arrived that it had not "
                + "requested. The subscription was stopped; request more eagerly or raise "
                + "WebSocketTransport.Builder.subscriptionBufferSize", config.subscriptionBufferSize));
    }

    private void protocolViolation(TransportProtocolException violation) {
        WebSocketClosedException reason = new WebSocketClosedException(violation.getMessage(),
                CloseCodes.PROTOCOL_ERROR_4400, "Invalid message received", true, violation);
        end(new Ending(violation, op -> violation, reason, false, CloseCodes.PROTOCOL_ERROR_4400,
                "Invalid message received", true));
    }

    private void messageTooBig() {
        TransportProtocolException violation = new TransportProtocolException("The server at " + where
                + " sent a message larger than maxMessageSize (" + config.maxMessageSize + " characters); the connection "
                + "was closed. Raise WebSocketTransport.Builder.maxMessageSize or ask for less data");
        WebSocketClosedException reason = new WebSocketClosedException(violation.getMessage(),
                CloseCodes.MESSAGE_TOO_BIG, "Message too big", true, violation);
        // The JDK refuses to send 1009 from a client; 1008 (policy violation) is the closest it allows.
        end(new Ending(violation, op -> violation, reason, false, 1008, "Message too big", true));
    }

    private void serverClosed(int code, String reason) {
        boolean beforeAck;
        synchronized (lock) {
            if (state == State.CLOSED) {
                beforeAck = false;
            } else {
                beforeAck = state != State.READY;
            }
        }
        if (beforeAck && mayFallBack && (code == 1002 || code == 4400 || code == 4406)) {
            fallbackSuggested = true;
        }
        String text = "The server at " + where + " closed the WebSocket with " + code + " ("
                + CloseCodes.meaning(code) + (reason == null || reason.isEmpty() ? "" : ": " + shorten(reason)) + ")"
                + (beforeAck ? " before connection_ack" : "") + "; " + CloseCodes.advice(code);
        WebSocketClosedException whenClosed = new WebSocketClosedException(text, code, reason, true, null);
        end(new Ending(new WebSocketClosedException(text, code, reason, false, null),
                op -> new WebSocketClosedException(text + sentOrNot(op), code, reason, op.handed, null),
                whenClosed, false, 1000, "", false));
    }

    private void linkBroken(Throwable cause) {
        String text = "The WebSocket connection to " + where + " broke (" + cause + ")";
        end(new Ending(new WebSocketClosedException(text + " before connection_ack", CloseCodes.ABNORMAL, "", false, cause),
                op -> new WebSocketClosedException(text + sentOrNot(op), CloseCodes.ABNORMAL, "", op.handed, cause),
                new WebSocketClosedException(text, CloseCodes.ABNORMAL, "", true, cause), false, ABORT, "", false));
    }

    private void linkDead(String what) {
        String text = "The WebSocket connection to " + where + " is dead: " + what
                + "; it was aborted (a half-open TCP connection or an unresponsive server)";
        end(new Ending(new WebSocketClosedException(text, CloseCodes.ABNORMAL, what, false, null),
                op -> new WebSocketClosedException(text + sentOrNot(op), CloseCodes.ABNORMAL, what, op.handed, null),
                new WebSocketClosedException(text, CloseCodes.ABNORMAL, what, true, null), false, ABORT, "", false));
    }

    private static String sentOrNot(Operation operation) {
        return operation.handed ? "; " + operation + " had been sent and may have been applied"
                : "; " + operation + " had not been sent";
    }

    private static String shorten(String text) {
        return text.length() <= 123 ? text : text.substring(0, 123) + "…";
    }

    // =================================================================== keep-alive

    private void schedulePing() {
        if (config.pingInterval.isZero()) {
            return;
        }
        synchronized (lock) {
            if (state == State.READY) {
                pingTimer = schedule(config.pingInterval, this::sendPingFrame);
            }
        }
    }

    private void sendPingFrame() {
        WebSocket webSocket;
        synchronized (lock) {
            if (state != State.READY) {
                return;
            }
            webSocket = socket;
            awaitingPong = true;
            pongDeadline = schedule(config.pongTimeout, () -> linkDead("no pong frame within "
                    + config.pongTimeout.toMillis() + " ms after a ping (pongTimeout)"));
        }
        LOG.debug(">>> ping frame to {}", where);
        CompletableFuture<WebSocket> sent;
        try {
            sent = webSocket.sendPing(ByteBuffer.wrap(new byte[] {'j', 'g', 'q', 'l'}));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ignored, failure) -> {
            Throwable cause = failure == null ? null : Futures.unwrap(failure);
            // IllegalStateException: a ping or an automatic pong is still being sent; the deadline stands.
            if (cause != null && !(cause instanceof IllegalStateException)) {
                linkBroken(cause);
            }
        });
    }

    private void pongFrame() {
        synchronized (lock) {
            if (!awaitingPong) {
                return;
            }
            awaitingPong = false;
            cancel(pongDeadline);
            pongDeadline = null;
            schedulePing(); // under the lock: whoever sees the pong handled sees the next ping scheduled
        }
    }

    private void scheduleProtocolPing() {
        if (config.protocolPingInterval.isZero() || wire.protocol() != WebSocketProtocol.GRAPHQL_TRANSPORT_WS) {
            return;
        }
        synchronized (lock) {
            if (state == State.READY) {
                protocolPingTimer = schedule(config.protocolPingInterval, this::sendProtocolPing);
            }
        }
    }

    private void sendProtocolPing() {
        synchronized (lock) {
            if (state != State.READY) {
                return;
            }
            awaitingProtocolPong = true;
            protocolPongDeadline = schedule(config.pongTimeout, () -> linkDead("no pong message within "
                    + config.pongTimeout.toMillis() + " ms after a ping message (pongTimeout)"));
        }
        send(wire.ping(), "ping");
    }

    private void protocolPong() {
        synchronized (lock) {
            if (!awaitingProtocolPong) {
                return; // an unsolicited pong is a one-way heartbeat
            }
            awaitingProtocolPong = false;
            cancel(protocolPongDeadline);
            protocolPongDeadline = null;
            scheduleProtocolPing();
        }
    }

    private void keepAlive() {
        if (config.keepAliveTimeout.isZero()) {
            return;
        }
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            cancel(keepAliveDeadline);
            keepAliveDeadline = schedule(config.keepAliveTimeout, () -> linkDead("no 'ka' keep-alive within "
                    + config.keepAliveTimeout.toMillis() + " ms (keepAliveTimeout)"));
        }
    }

    // =================================================================== ending

    @Override
    public CompletionStage<TransportClosedException> whenClosed() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return state == State.READY;
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        TransportClosedException byClient = new TransportClosedException("The WebSocket connection to " + where
                + " was closed by the client");
        end(new Ending(byClient, op -> byClient, byClient, true, 1000, "", true));
        return released;
    }

    /** Ends the link once: fails what is pending, completes whenClosed, closes the socket. */
    private void end(Ending how) {
        List<Operation> pending;
        WebSocket webSocket;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            ending = how;
            pending = new ArrayList<>(operations.values());
            operations.clear();
            outbox.clear();
            for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {connectTimer, ackTimer, pingTimer, pongDeadline,
                    protocolPingTimer, protocolPongDeadline, keepAliveDeadline}) {
                cancel(timer);
            }
            awaitingPong = false;
            awaitingProtocolPong = false;
            webSocket = socket;
        }
        if (!ready.isDone()) {
            Throwable failure = how.connectFailure;
            deliver(() -> ready.completeExceptionally(failure));
        }
        if (!pending.isEmpty()) {
            LOG.debug("Failing {} operations on {}: {}", pending.size(), where, how.reason.getMessage());
        }
        for (Operation operation : pending) {
            Throwable failure;
            synchronized (lock) {
                failure = how.operationFailure.apply(operation);
                operation.finished = true;
            }
            fail(operation, failure);
        }
        deliver(() -> closed.complete(how.reason));
        closeSocket(webSocket, how);
    }

    private void closeSocket(WebSocket webSocket, Ending how) {
        if (webSocket == null) {
            // The handshake is still running or failed; a late success is aborted by open().
            release();
            return;
        }
        if (how.wireCode == ABORT || webSocket.isOutputClosed()) {
            webSocket.abort();
            release();
            return;
        }
        synchronized (lock) {
            closeTimer = schedule(config.closeTimeout, () -> {
                LOG.debug("No close frame from {} within {} ms; aborting", where, config.closeTimeout.toMillis());
                abortAndRelease(webSocket);
            });
        }
        CompletableFuture<WebSocket> sent;
        try {
            sent = webSocket.sendClose(how.wireCode, how.wireReason);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ignored, failure) -> {
            if (failure != null || !how.awaitPeer || webSocket.isInputClosed()) {
                abortAndRelease(webSocket);
            }
        });
    }

    /** The server's close frame (or the drop) after the link ended: the socket is done. */
    private void peerClosedAfterEnd() {
        WebSocket webSocket;
        synchronized (lock) {
            webSocket = socket;
        }
        if (webSocket != null) {
            abortAndRelease(webSocket);
        }
    }

    private void abortAndRelease(WebSocket webSocket) {
        webSocket.abort();
        release();
    }

    private void release() {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            cancel(closeTimer);
        }
        resources.release();
        released.complete(null);
    }

    // =================================================================== helpers

    private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        try {
            return context.scheduler().schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("A WebSocket timer for {} failed", where, e);
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("The scheduler is shut down; a WebSocket timer for {} runs now", where);
            deliver(task);
            return null;
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void deliver(Runnable task) {
        try {
            resources.executor.execute(task);
        } catch (RejectedExecutionException closedExecutor) {
            task.run();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "WebSocketConnection{" + where + ", " + wire.protocol().subprotocol() + ", " + state + ", "
                    + operations.size() + " operations}";
        }
    }

    /** Receives the JDK's callbacks, one at a time, and asks for the next message after each. */
    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            opened(webSocket);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            try {
                WebSocketConnection.this.onText(data, last);
            } catch (RuntimeException e) {
                LOG.error("Handling a message from {} failed", where, e);
                protocolViolation(new TransportProtocolException("jgql could not handle a message from " + where + ": "
                        + e, e));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                protocolViolation(new TransportProtocolException("The server at " + where + " sent a binary frame; "
                        + "GraphQL over WebSocket messages are text. The connection was closed"));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            // The JDK answers with a pong by itself.
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongFrame();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            LOG.debug("<<< close {} from {}", statusCode, where);
            boolean ended;
            synchronized (lock) {
                ended = state == State.CLOSED;
            }
            if (ended) {
                peerClosedAfterEnd();
            } else {
                serverClosed(statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            boolean ended;
            synchronized (lock) {
                ended = state == State.CLOSED;
            }
            if (ended) {
                LOG.debug("WebSocket to {} failed after it ended: {}", where, error.toString());
                abortAndRelease(webSocket);
            } else {
                linkBroken(error);
            }
        }
    }
}
