package dev.jgql.transport.ws;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.TransportQueryException;
import dev.jgql.engine.EngineWebSocket;
import dev.jgql.engine.WebSocketEngine;
import dev.jgql.engine.WebSocketEngineRequest;
import dev.jgql.internal.Futures;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.IncrementalMerge;
import dev.jgql.transport.support.StreamSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * One WebSocket link speaking one protocol: the link's state machine and its operations. The other
 * concerns live beside it: {@link HandshakeFailures} (why opening failed), {@link KeepAlive}
 * (finding dead links), {@link Outbox} (sending one message at a time), {@link MessageAssembler}
 * (joining and parsing incoming messages) and {@link Wire} (the protocol's messages).
 *
 * <h2>States</h2>
 * <pre>
 *   HANDSHAKE ──socket open──▶ AWAITING_ACK ──connection_ack──▶ READY
 *       │                           │                             │
 *       └──────────────── any ending (see below) ─────────────────┴──▶ CLOSED
 * </pre>
 * Only those transitions exist, each taken under {@link #lock}. {@link #ready} completes on
 * entering READY, or fails if the link ends before. Every way the link can end goes through
 * {@link #end} exactly once: the handshake failed or timed out, no acknowledgement in time, the
 * server closed or the connection dropped, a protocol violation, a message too big, a dead link
 * (keep-alive), a failed send, or the client's {@link #close()}. {@code end} fails the operations
 * still pending (saying whether each may have reached the server), completes
 * {@link #whenClosed()} and closes the socket (a close frame bounded by the close timeout, or an
 * abort).
 *
 * <p>Threads: the engine calls the {@link Listener} serially; it parses and routes without calling
 * user code. Futures, subscribers and {@code whenClosed} dependents run on the executor of
 * {@link ConnectionResources}. Timers run on the context's scheduler.
 */
final class WebSocketConnection implements TransportConnection {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final int ABORT = 0;

    enum State { HANDSHAKE, AWAITING_ACK, READY, CLOSED }

    /** Why and how the link ended. */
    private record Ending(Throwable connectFailure, Function<Operation, Throwable> operationFailure,
            TransportClosedException reason, boolean byClient, int wireCode, String wireReason, boolean awaitPeer) {
    }

    private final WebSocketTransport config;
    private final ConnectionResources resources;
    private final Wire wire;
    private final boolean mayFallBack;
    private final String where;
    private final Timers timers;
    private final Outbox outbox;
    private final KeepAlive keepAlive;
    private final MessageAssembler assembler;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    // written under lock
    private volatile State state = State.HANDSHAKE;
    private volatile EngineWebSocket socket;
    private CompletableFuture<EngineWebSocket> opening;
    private long lastId;
    private String initMessage;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> ackTimer;
    private ScheduledFuture<?> closeTimer;
    private boolean released;
    private Ending ending;
    private String subprotocol = "";

    private volatile boolean fallbackSuggested;

    private final CompletableFuture<WebSocketConnection> ready = new CompletableFuture<>();
    private final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> releasedFuture = new CompletableFuture<>();

    WebSocketConnection(WebSocketTransport config, TransportContext context, ConnectionResources resources,
            WebSocketProtocol protocol, boolean mayFallBack) {
        this.config = config;
        this.resources = resources;
        this.where = config.redactedUri;
        this.wire = new Wire(protocol, context.objectMapper(), where);
        this.mayFallBack = mayFallBack;
        this.timers = new Timers(context.scheduler(), resources.executor, where);
        this.outbox = new Outbox(where, this::linkBroken);
        this.keepAlive = new KeepAlive(config, protocol == WebSocketProtocol.GRAPHQL_TRANSPORT_WS, timers,
                context.clock(), where,
                new KeepAlive.Link() {
                    @Override
                    public CompletableFuture<Void> sendPingFrame(ByteBuffer payload) {
                        EngineWebSocket open = socket;
                        return open == null ? CompletableFuture.completedFuture(null) : open.sendPing(payload);
                    }

                    @Override
                    public void sendProtocolPing() {
                        outbox.send(new Outbox.Outgoing(wire.ping(), null, "ping"));
                    }

                    @Override
                    public void dead(String what) {
                        linkDead(what);
                    }

                    @Override
                    public void broken(Throwable cause) {
                        linkBroken(cause);
                    }

                    @Override
                    public boolean callsPending() {
                        for (Operation operation : operations.values()) {
                            if (operation.future != null && !operation.isFinished()) {
                                return true;
                            }
                        }
                        return false;
                    }
                });
        this.assembler = new MessageAssembler(config.maxMessageSize);
        resources.retain();
    }

    // =================================================================== opening

    /** Starts the handshake; {@link #ready} tells how it ends. */
    void open(Map<String, Object> initPayload, Map<String, String> handshakeHeaders) {
        String init;
        try {
            init = wire.connectionInit(initPayload);
        } catch (TransportException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            end(connectFailed(new TransportException("Could not serialise the init payload for " + where
                    + " (its content is not shown): " + cause.getClass().getName(), cause)));
            return;
        }
        WebSocketEngine engine = resources.engine();
        if (engine == null) {
            end(connectFailed(new TransportClosedException("The WebSocket transport's connect to " + where
                    + " was abandoned")));
            return;
        }
        WebSocketEngineRequest.Builder request = WebSocketEngineRequest.builder(config.uri)
                .subprotocols(List.of(wire.protocol().subprotocol()))
                .connectTimeout(config.connectTimeout);
        handshakeHeaders.forEach(request::header);
        synchronized (lock) {
            initMessage = init;
            connectTimer = timers.schedule(config.connectTimeout, this::connectTimedOut);
        }
        LOG.debug("Opening a WebSocket to {} offering {}", where, wire.protocol().subprotocol());
        CompletableFuture<EngineWebSocket> handshake;
        try {
            handshake = engine.open(request.build(), new Listener());
        } catch (RuntimeException e) {
            handshake = CompletableFuture.failedFuture(e);
        }
        synchronized (lock) {
            opening = handshake;
        }
        handshake.whenComplete((openSocket, failure) -> {
            if (failure != null) {
                handshakeFailed(Futures.unwrap(failure));
            } else {
                opened(openSocket);
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
        return keepAlive.awaitingPong();
    }

    /**
     * Whether nothing waits to go out and no send is in flight (for tests: the JDK may complete
     * the future of a send a moment after the peer already answered it, e.g. the ack to
     * connection_init, and a message queued in that moment is not yet handed to the socket).
     */
    boolean outboxIdle() {
        return outbox.idle();
    }

    /** How many operations are active (for tests). */
    int activeOperations() {
        return operations.size();
    }

    private void opened(EngineWebSocket openSocket) {
        boolean stale;
        String negotiated = openSocket.subprotocol();
        String init;
        synchronized (lock) {
            stale = state != State.HANDSHAKE;
            init = initMessage;
            if (!stale) {
                socket = openSocket;
                subprotocol = negotiated;
                Timers.cancel(connectTimer);
            }
        }
        if (stale) {
            openSocket.abort();
            peerClosedAfterEnd();
            return;
        }
        // Read on, whatever happens next: the server's close frame must be read too.
        openSocket.request(1);
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
            if (state != State.HANDSHAKE) {
                return;
            }
            state = State.AWAITING_ACK;
            initMessage = null;
            ackTimer = timers.schedule(config.ackTimeout, this::ackTimedOut);
        }
        outbox.send(new Outbox.Outgoing(init, null, "connection_init"));
        outbox.open(openSocket);
    }

    private void handshakeFailed(Throwable failure) {
        HandshakeFailures.Classified classified = HandshakeFailures.classify(failure, where, wire.protocol(), mayFallBack,
                config.connectTimeout);
        if (classified.fallbackSuggested()) {
            fallbackSuggested = true;
        }
        end(connectFailed(classified.failure()));
    }

    private void connectTimedOut() {
        CompletableFuture<EngineWebSocket> handshake;
        synchronized (lock) {
            handshake = opening;
        }
        end(connectFailed(HandshakeFailures.timedOut(where, config.connectTimeout)));
        if (handshake != null) {
            handshake.cancel(true);
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
        Objects.requireNonNull(request, "request");
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
        Objects.requireNonNull(request, "request");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
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
        synchronized (lock) {
            if (state == State.READY) {
                operation.id = Long.toString(++lastId);
                operations.put(operation.id, operation);
            }
        }
        if (operation.id == null) {
            operation.finish();
            fail(operation, closedFailure(operation.request.toString()));
            return;
        }
        String text;
        try {
            text = wire.start(operation.id, operation.request);
        } catch (TransportException e) {
            if (finish(operation)) {
                fail(operation, e);
            }
            return;
        }
        outbox.send(new Outbox.Outgoing(text, operation, wire.startType() + " " + operation.id));
        if (operation.future != null) {
            keepAlive.callSent();
        }
    }

    /** The caller gave up on an operation: forget it and, if the server has it, stop it there. */
    private void cancel(Operation operation) {
        if (finish(operation)) {
            stopOnServer(operation);
        }
    }

    /** Tells the server to stop an operation that was just finished here, if the server has it. */
    private void stopOnServer(Operation operation) {
        if (operation.wasHanded() && state == State.READY) {
            outbox.send(new Outbox.Outgoing(wire.stop(operation.id), null,
                    (wire.protocol() == WebSocketProtocol.GRAPHQL_WS ? "stop " : "complete ") + operation.id));
        }
    }

    /** Ends an active operation; false if it already ended (then the caller must not signal it). */
    private boolean finish(Operation operation) {
        if (!operation.finish()) {
            return false;
        }
        if (operation.id != null) {
            operations.remove(operation.id, operation);
        }
        return true;
    }

    private void fail(Operation operation, Throwable failure) {
        if (operation.future != null) {
            timers.deliver(() -> operation.future.completeExceptionally(failure));
        } else {
            operation.stream.fail(failure);
        }
    }

    private Throwable closedFailure(String what) {
        Ending end;
        synchronized (lock) {
            end = ending;
        }
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

    // =================================================================== receiving

    private void handle(MessageAssembler.Message text) {
        if (state == State.CLOSED) {
            return;
        }
        Wire.Incoming message;
        try {
            message = wire.read(text);
        } catch (TransportProtocolException e) {
            protocolViolation(e);
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("<<< {}{} from {}", message.type(), message.id() == null ? "" : " " + message.id(), where);
        }
        switch (message.kind()) {
            case ACK -> acknowledged(text);
            case PING -> outbox.send(new Outbox.Outgoing(wire.pong(), null, "pong"));
            case PONG -> keepAlive.protocolPong();
            case KEEP_ALIVE -> keepAlive.keepAliveMessage();
            case NEXT, ERROR, COMPLETE -> operationMessage(message, text);
            case CONNECTION_ERROR -> connectionError(message.detail());
            case ERROR_WITHOUT_ID -> LOG.warn("The server at {} reported an error tied to no operation: {}", where,
                    message.detail());
            default -> throw new IllegalStateException("Unhandled message kind " + message.kind());
        }
    }

    private void acknowledged(MessageAssembler.Message text) {
        boolean second;
        synchronized (lock) {
            if (state != State.AWAITING_ACK && state != State.READY) {
                return;
            }
            second = state == State.READY;
            if (!second) {
                state = State.READY;
                Timers.cancel(ackTimer);
                ackTimer = null;
            }
        }
        if (second) {
            protocolViolation(wire.violation("a second connection_ack", text));
            return;
        }
        LOG.debug("WebSocket to {} acknowledged ({})", where, wire.protocol().subprotocol());
        keepAlive.start();
        timers.deliver(() -> ready.complete(this));
    }

    private void connectionError(String detail) {
        if (state != State.AWAITING_ACK) {
            LOG.warn("The server at {} sent connection_error after the acknowledgement: {}", where, detail);
            return;
        }
        WebSocketClosedException failure = new WebSocketClosedException("The server at " + where
                + " rejected connection_init with connection_error (" + detail + "); check the init payload and headers "
                + "(not shown)", 4403, detail, false, null);
        end(new Ending(failure, op -> failure, failure, false, 1000, "", true));
    }

    private void operationMessage(Wire.Incoming message, MessageAssembler.Message text) {
        if (state == State.AWAITING_ACK) {
            protocolViolation(wire.violation("a '" + message.type() + "' message before connection_ack", text));
            return;
        }
        Operation operation = operations.get(message.id());
        if (operation == null) {
            LOG.debug("Ignoring '{}' for operation {}, which is finished or unknown", message.type(), message.id());
            return;
        }
        switch (message.kind()) {
            case NEXT -> {
                if (operation.merge != null || IncrementalMerge.isIncremental(message.payload())) {
                    incremental(operation, message.payload());
                } else if (operation.future != null) {
                    if (finish(operation)) {
                        timers.deliver(() -> operation.future.complete(message.result()));
                    }
                } else if (!operation.stream.offer(message.result())) {
                    overflow(operation);
                }
            }
            case ERROR -> {
                if (finish(operation)) {
                    if (operation.future != null) {
                        timers.deliver(() -> operation.future.complete(message.result()));
                    } else {
                        operation.stream.fail(new TransportQueryException(message.result()));
                    }
                }
            }
            case COMPLETE -> {
                if (finish(operation)) {
                    if (operation.future != null && operation.merge != null) {
                        // the server ended an incremental answer without hasNext: false; what arrived is the answer
                        ExecutionResult merged = operation.merge.snapshot();
                        timers.deliver(() -> operation.future.complete(merged));
                    } else if (operation.future != null) {
                        timers.deliver(() -> operation.future.completeExceptionally(new TransportProtocolException(
                                "The server at " + where + " completed " + operation + " without sending a result")));
                    } else {
                        operation.stream.complete();
                    }
                }
            }
            default -> throw new IllegalStateException("Not an operation message: " + message.kind());
        }
    }

    /**
     * One payload of an incremental ({@code @defer}/{@code @stream}) answer, as servers send them in
     * {@code next} messages: an execute gets the merged data once the last payload ({@code hasNext:
     * false}) arrived, a stream gets the data so far after each.
     */
    private void incremental(Operation operation, Map<String, Object> payload) {
        if (operation.merge == null) {
            operation.merge = new IncrementalMerge();
        }
        ExecutionResult soFar;
        try {
            soFar = operation.merge.apply(payload, () -> "A 'next' message from " + where + " for " + operation);
        } catch (TransportProtocolException e) {
            if (finish(operation)) {
                stopOnServer(operation);
                fail(operation, e);
            }
            return;
        }
        if (operation.future != null) {
            if (operation.merge.isFinished() && finish(operation)) {
                timers.deliver(() -> operation.future.complete(soFar));
            }
        } else if (!operation.stream.offer(soFar)) {
            overflow(operation);
        }
    }

    @SuppressWarnings("deprecation") // thrown as the WebSocket transport's own subclass, so older catch blocks still work
    private void overflow(Operation operation) {
        cancel(operation);
        LOG.debug("Subscription {} on {} overflowed its buffer of {}", operation.id, where, config.subscriptionBufferSize);
        operation.stream.failNow(new SubscriptionBufferOverflowException("The subscriber of " + operation + " on " + where
                + " did not keep up: more than " + config.subscriptionBufferSize + " events arrived that it had not "
                + "requested. The subscription was stopped; request more eagerly or raise "
                + "WebSocketTransport.Builder.subscriptionBufferSize", config.subscriptionBufferSize));
    }

    // =================================================================== endings

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
        boolean beforeAck = state != State.READY && state != State.CLOSED;
        if (beforeAck && mayFallBack && (code == 1002 || code == 4400 || code == 4406)) {
            fallbackSuggested = true;
        }
        String text = code == CloseCodes.ABNORMAL
                ? "The WebSocket connection to " + where + " dropped without a close frame (1006)"
                        + (beforeAck ? " before connection_ack" : "") + "; " + CloseCodes.advice(code)
                : "The server at " + where + " closed the WebSocket with " + code + " (" + CloseCodes.meaning(code)
                        + (reason == null || reason.isEmpty() ? "" : ": " + shorten(reason)) + ")"
                        + (beforeAck ? " before connection_ack" : "") + "; " + CloseCodes.advice(code);
        WebSocketClosedException whenClosed = new WebSocketClosedException(text, code, reason, true, null);
        end(new Ending(new WebSocketClosedException(text, code, reason, false, null),
                op -> new WebSocketClosedException(text + sentOrNot(op), code, reason, op.wasHanded(), null),
                whenClosed, false, 1000, "", false));
    }

    private void linkBroken(Throwable cause) {
        String text = "The WebSocket connection to " + where + " dropped (" + cause + ")";
        end(new Ending(new WebSocketClosedException(text + " before connection_ack", CloseCodes.ABNORMAL, "", false, cause),
                op -> new WebSocketClosedException(text + sentOrNot(op), CloseCodes.ABNORMAL, "", op.wasHanded(), cause),
                new WebSocketClosedException(text, CloseCodes.ABNORMAL, "", true, cause), false, ABORT, "", false));
    }

    private void linkDead(String what) {
        String text = "The WebSocket connection to " + where + " is dead: " + what
                + "; it was aborted (a half-open TCP connection or an unresponsive server)";
        end(new Ending(new WebSocketClosedException(text, CloseCodes.ABNORMAL, what, false, null),
                op -> new WebSocketClosedException(text + sentOrNot(op), CloseCodes.ABNORMAL, what, op.wasHanded(), null),
                new WebSocketClosedException(text, CloseCodes.ABNORMAL, what, true, null), false, ABORT, "", false));
    }

    private static String sentOrNot(Operation operation) {
        return operation.wasHanded() ? "; " + operation + " had been sent and may have been applied"
                : "; " + operation + " had not been sent";
    }

    private static String shorten(String text) {
        return text.length() <= 123 ? text : text.substring(0, 123) + "…";
    }

    /** A call on this link timed out: find out now whether the link is dead (see {@link KeepAlive#checkNow()}). */
    @Override
    public void timedOut(dev.jgql.GraphQLCall call) {
        keepAlive.checkNow();
    }

    @Override
    public CompletionStage<TransportClosedException> whenClosed() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        return state == State.READY;
    }

    @Override
    public CompletableFuture<Void> close() {
        TransportClosedException byClient = new TransportClosedException("The WebSocket connection to " + where
                + " was closed by the client");
        end(new Ending(byClient, op -> byClient, byClient, true, 1000, "", true));
        return releasedFuture;
    }

    /** Ends the link once: fails what is pending, completes whenClosed, closes the socket. */
    private void end(Ending how) {
        EngineWebSocket openSocket;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            ending = how;
            Timers.cancel(connectTimer);
            Timers.cancel(ackTimer);
            openSocket = socket;
        }
        outbox.close();
        keepAlive.stop();
        if (!ready.isDone()) {
            Throwable failure = how.connectFailure;
            timers.deliver(() -> ready.completeExceptionally(failure));
        }
        if (!operations.isEmpty()) {
            LOG.debug("Failing {} operations on {}: {}", operations.size(), where, how.reason.getMessage());
        }
        for (Operation operation : operations.values()) {
            if (operation.finish()) {
                fail(operation, how.operationFailure.apply(operation));
            }
        }
        operations.clear();
        timers.deliver(() -> closed.complete(how.reason));
        closeSocket(openSocket, how);
    }

    private void closeSocket(EngineWebSocket openSocket, Ending how) {
        if (openSocket == null) {
            // The handshake is still running or failed; a late success is aborted by opened().
            release();
            return;
        }
        if (how.wireCode == ABORT || openSocket.isOutputClosed()) {
            abortAndRelease(openSocket);
            return;
        }
        synchronized (lock) {
            closeTimer = timers.schedule(config.closeTimeout, () -> {
                LOG.debug("No close frame from {} within {} ms; aborting", where, config.closeTimeout.toMillis());
                abortAndRelease(openSocket);
            });
        }
        openSocket.sendClose(how.wireCode, how.wireReason).whenComplete((ignored, failure) -> {
            if (failure != null || !how.awaitPeer || openSocket.isInputClosed()) {
                abortAndRelease(openSocket);
            }
        });
    }

    /** The server's close frame (or the drop) after the link ended, or a handshake that finished after it: the socket is done. */
    private void peerClosedAfterEnd() {
        EngineWebSocket openSocket = socket;
        if (openSocket != null) {
            abortAndRelease(openSocket);
        } else {
            release();
        }
    }

    private void abortAndRelease(EngineWebSocket openSocket) {
        openSocket.abort();
        release();
    }

    private void release() {
        synchronized (lock) {
            if (released) {
                return;
            }
            released = true;
            Timers.cancel(closeTimer);
        }
        resources.release();
        releasedFuture.complete(null);
    }

    @Override
    public String toString() {
        return "WebSocketConnection{" + where + ", " + wire.protocol().subprotocol() + ", " + state + ", "
                + operations.size() + " operations}";
    }

    /** Receives the engine's calls, one at a time, and asks for the next message after each. */
    private final class Listener implements EngineWebSocket.Listener {
        @Override
        public void onText(CharSequence fragment, boolean last) {
            keepAlive.heard();
            try {
                handleWhole(assembler.onChars(fragment, last));
            } catch (MessageAssembler.TooBig tooBig) {
                messageTooBig();
            }
            requestMore();
        }

        @Override
        public void onTextBytes(ByteBuffer fragment, boolean last) {
            keepAlive.heard();
            try {
                handleWhole(assembler.onBytes(fragment, last));
            } catch (MessageAssembler.TooBig tooBig) {
                messageTooBig();
            }
            requestMore();
        }

        private void handleWhole(MessageAssembler.Message message) {
            if (message == null) {
                return;
            }
            try {
                handle(message);
            } catch (RuntimeException e) {
                LOG.error("Handling a message from {} failed", where, e);
                protocolViolation(new TransportProtocolException("jgql could not handle a message from " + where + ": "
                        + e, e));
            } finally {
                assembler.done();
            }
        }

        @Override
        public void onBinary(ByteBuffer fragment, boolean last) {
            if (last) {
                protocolViolation(new TransportProtocolException("The server at " + where + " sent a binary frame; "
                        + "GraphQL over WebSocket messages are text. The connection was closed"));
            }
            requestMore();
        }

        @Override
        public void onPong(ByteBuffer data) {
            keepAlive.heard();
            keepAlive.pongFrame();
        }

        @Override
        public void onClose(int code, String reason) {
            LOG.debug("<<< close {} from {}", code, where);
            if (state == State.CLOSED) {
                peerClosedAfterEnd();
            } else {
                serverClosed(code, reason);
            }
        }

        @Override
        public void onError(Throwable error) {
            if (state == State.CLOSED) {
                LOG.debug("WebSocket to {} failed after it ended: {}", where, error.toString());
                peerClosedAfterEnd();
            } else {
                linkBroken(error);
            }
        }

        private void requestMore() {
            EngineWebSocket open = socket;
            if (open != null) {
                open.request(1);
            }
        }
    }
}
