package dev.jgql.transport.ws;

import dev.jgql.engine.EngineWebSocket;
import dev.jgql.internal.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The messages waiting to go out on one socket, sent one at a time in order (a WebSocket allows
 * one outstanding text send). A message tied to an operation is skipped if the operation ended
 * before its turn, and marks the operation handed as it goes, which is what
 * {@code requestMayHaveBeenSent} reports. A failed send ends the link at once.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** One message: its text, the operation it starts (or null), and what the debug log calls it. */
    record Outgoing(String text, Operation operation, String description) {
    }

    private final String where;
    private final Consumer<Throwable> sendFailed;
    // guarded by this
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private EngineWebSocket socket;
    private boolean sending;
    private boolean closed;

    /**
     * @param sendFailed told, once per failed send, why; the link is broken then
     */
    Outbox(String where, Consumer<Throwable> sendFailed) {
        this.where = where;
        this.sendFailed = sendFailed;
    }

    /** Queues a message; it goes out once the socket is {@link #open}. Dropped if the outbox is closed. */
    void send(Outgoing message) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(message);
        }
        pump();
    }

    /** Starts sending on this socket. */
    void open(EngineWebSocket openSocket) {
        synchronized (this) {
            socket = openSocket;
        }
        pump();
    }

    /** Drops what waits and sends nothing more. */
    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    /** Whether nothing waits and no send is in flight. */
    synchronized boolean idle() {
        return !sending && queue.isEmpty();
    }

    private void pump() {
        while (true) {
            Outgoing next;
            EngineWebSocket target;
            synchronized (this) {
                if (sending || closed || socket == null) {
                    return;
                }
                next = queue.poll();
                while (next != null && next.operation != null && !next.operation.markHanded()) {
                    next = queue.poll(); // the operation ended before its turn: never send it
                }
                if (next == null) {
                    return;
                }
                sending = true;
                target = socket;
            }
            LOG.debug(">>> {} to {}", next.description, where);
            CompletableFuture<Void> sent = target.sendText(next.text);
            if (sent.isDone() && !sent.isCompletedExceptionally()) {
                synchronized (this) {
                    sending = false;
                }
                continue;
            }
            sent.whenComplete((ignored, failure) -> {
                synchronized (this) {
                    sending = false;
                }
                if (failure != null) {
                    sendFailed.accept(Futures.unwrap(failure));
                } else {
                    pump();
                }
            });
            return;
        }
    }
}
