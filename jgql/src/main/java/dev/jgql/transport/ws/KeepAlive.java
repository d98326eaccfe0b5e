package dev.jgql.transport.ws;

import dev.jgql.internal.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * Finds dead links on one connection: WebSocket ping frames with a pong deadline (every server
 * answers them), graphql-transport-ws {@code ping} messages with a {@code pong} deadline when
 * configured, and the legacy protocol's {@code ka} watchdog. Each ping is sent an interval after
 * the previous pong, so at most one is outstanding. Whatever it decides goes to its {@link Link}.
 *
 * <p>Between keep-alive pings, a link is also checked when it has gone quiet while calls wait for
 * an answer (the silence watch) and when a call times out: a peer that was killed without the
 * operating system noticing (the JDK misses the close of a few percent of reset connections) is
 * then found within about two liveness timeouts, not at the next keep-alive ping.
 */
final class KeepAlive {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);
    private static final byte[] PING_PAYLOAD = {'j', 'g', 'q', 'l'};

    /** What keep-alive needs of its connection. */
    interface Link {
        /** Sends a ping frame. */
        CompletableFuture<Void> sendPingFrame(ByteBuffer payload);

        /** Queues a protocol {@code ping} message. */
        void sendProtocolPing();

        /** No answer in time: the link is dead. */
        void dead(String what);

        /** A ping could not be sent: the link is broken. */
        void broken(Throwable cause);

        /** Whether a single-result call sent on the link still waits for its answer. */
        boolean callsPending();
    }

    private final WebSocketTransport config;
    private final boolean protocolPings;
    private final Timers timers;
    private final String where;
    private final Link link;
    private final Clock clock;
    /** When the peer was last heard from (any frame), in the clock's milliseconds; one writer, the engine's listener. */
    private volatile long lastHeard;

    // guarded by this
    private boolean running;
    private boolean stopped;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pongDeadline;
    private ScheduledFuture<?> protocolPingTimer;
    private ScheduledFuture<?> protocolPongDeadline;
    private ScheduledFuture<?> keepAliveDeadline;
    private ScheduledFuture<?> silenceWatch;
    private boolean awaitingPong;
    private boolean awaitingProtocolPong;

    KeepAlive(WebSocketTransport config, boolean protocolPings, Timers timers, Clock clock, String where, Link link) {
        this.config = config;
        this.protocolPings = protocolPings && !config.protocolPingInterval.isZero();
        this.timers = timers;
        this.clock = clock;
        this.where = where;
        this.link = link;
        this.lastHeard = clock.millis();
    }

    /** The link is ready: start pinging. */
    synchronized void start() {
        if (stopped) {
            return;
        }
        running = true;
        schedulePing();
        scheduleProtocolPing();
    }

    /** The link ended: cancel every timer. Idempotent. */
    synchronized void stop() {
        stopped = true;
        running = false;
        Timers.cancel(pingTimer);
        Timers.cancel(pongDeadline);
        Timers.cancel(protocolPingTimer);
        Timers.cancel(protocolPongDeadline);
        Timers.cancel(keepAliveDeadline);
        Timers.cancel(silenceWatch);
        awaitingPong = false;
        awaitingProtocolPong = false;
    }

    /** Whether a ping frame waits for its pong (for tests that drive keep-alive). */
    synchronized boolean awaitingPong() {
        return awaitingPong;
    }

    private void schedulePing() {
        if (running && !config.pingInterval.isZero()) {
            pingTimer = timers.schedule(config.pingInterval, this::sendPingFrame);
        }
    }

    private void sendPingFrame() {
        synchronized (this) {
            if (!running) {
                return;
            }
            awaitingPong = true;
            pongDeadline = timers.schedule(config.pongTimeout, () -> link.dead("no pong frame within "
                    + config.pongTimeout.toMillis() + " ms after a ping (pongTimeout)"));
        }
        ping();
    }

    /**
     * A call on the link went unanswered: check now that the peer still answers a ping frame,
     * within the liveness timeout, rather than at the next keep-alive ping. A ping already out has
     * its deadline brought forward.
     */
    void checkNow() {
        checkNow("after a call timed out");
    }

    private void checkNow(String why) {
        Duration deadline = config.livenessTimeout;
        String what = "no pong frame within " + deadline.toMillis() + " ms " + why + " (livenessTimeout)";
        synchronized (this) {
            if (!running) {
                return;
            }
            if (awaitingPong) {
                if (pongDeadline == null || pongDeadline.getDelay(java.util.concurrent.TimeUnit.NANOSECONDS)
                        > deadline.toNanos()) {
                    Timers.cancel(pongDeadline);
                    pongDeadline = timers.schedule(deadline, () -> link.dead(what));
                }
                return;
            }
            Timers.cancel(pingTimer);
            awaitingPong = true;
            pongDeadline = timers.schedule(deadline, () -> link.dead(what));
        }
        ping();
    }

    /** The peer sent something (a message, a fragment, a pong): it was alive a moment ago. */
    void heard() {
        lastHeard = clock.millis();
    }

    /**
     * A single-result call was queued: from now on, while calls wait, a link silent for the
     * liveness timeout is checked with a ping frame. One watch runs at a time, and stops once no
     * call waits; a slow resolver costs one ping frame per liveness timeout, nothing more.
     */
    synchronized void callSent() {
        // Not yet running is fine (a call can start between READY and start()); stopped is final.
        if (!stopped && silenceWatch == null) {
            silenceWatch = timers.schedule(config.livenessTimeout, this::checkSilence);
        }
    }

    private void checkSilence() {
        long timeout = config.livenessTimeout.toMillis();
        long silentFor;
        synchronized (this) {
            silenceWatch = null;
            if (!running || !link.callsPending()) {
                return;
            }
            silentFor = clock.millis() - lastHeard;
            // Watch on: the pong (or the answer) moves lastHeard, and the next turn looks again.
            long nextLook = silentFor >= timeout ? timeout : timeout - silentFor;
            silenceWatch = timers.schedule(Duration.ofMillis(nextLook), this::checkSilence);
        }
        if (silentFor >= timeout) {
            checkNow("after the link was silent for " + silentFor + " ms while calls waited");
        }
    }

    private void ping() {
        LOG.debug(">>> ping frame to {}", where);
        link.sendPingFrame(ByteBuffer.wrap(PING_PAYLOAD)).whenComplete((ignored, failure) -> {
            Throwable cause = failure == null ? null : Futures.unwrap(failure);
            // IllegalStateException: a ping or an automatic pong is still being sent; the deadline stands.
            if (cause != null && !(cause instanceof IllegalStateException)) {
                link.broken(cause);
            }
        });
    }

    /** A pong frame arrived. */
    synchronized void pongFrame() {
        if (!awaitingPong) {
            return;
        }
        awaitingPong = false;
        Timers.cancel(pongDeadline);
        pongDeadline = null;
        schedulePing(); // under the lock: whoever sees the pong handled sees the next ping scheduled
    }

    private void scheduleProtocolPing() {
        if (running && protocolPings) {
            protocolPingTimer = timers.schedule(config.protocolPingInterval, this::sendProtocolPing);
        }
    }

    private void sendProtocolPing() {
        synchronized (this) {
            if (!running) {
                return;
            }
            awaitingProtocolPong = true;
            protocolPongDeadline = timers.schedule(config.pongTimeout, () -> link.dead("no pong message within "
                    + config.pongTimeout.toMillis() + " ms after a ping message (pongTimeout)"));
        }
        link.sendProtocolPing();
    }

    /** A protocol {@code pong} arrived; an unsolicited one is a one-way heartbeat and changes nothing. */
    synchronized void protocolPong() {
        if (!awaitingProtocolPong) {
            return;
        }
        awaitingProtocolPong = false;
        Timers.cancel(protocolPongDeadline);
        protocolPongDeadline = null;
        scheduleProtocolPing();
    }

    /** A legacy {@code ka} arrived: the next one must come within the keep-alive timeout. */
    synchronized void keepAliveMessage() {
        if (stopped || config.keepAliveTimeout.isZero()) {
            return;
        }
        Timers.cancel(keepAliveDeadline);
        Duration timeout = config.keepAliveTimeout;
        keepAliveDeadline = timers.schedule(timeout, () -> link.dead("no 'ka' keep-alive within "
                + timeout.toMillis() + " ms (keepAliveTimeout)"));
    }
}
