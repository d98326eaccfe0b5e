package dev.jgql;

import java.time.Duration;
import java.util.Optional;

/**
 * Told what a client's sessions do: calls started and finished, retries scheduled, connect attempts
 * that failed, state changes, subscriptions started and ended. The one source for metrics, health
 * and logs of failed attempts. Register one on {@link Client.Builder#eventListener}; with none
 * registered, jgql creates no event at all.
 *
 * <pre>{@code
 * ClientEventListener metrics = new ClientEventListener() {
 *     @Override
 *     public void callFinished(CallFinished event) {
 *         timer(event.operationName(), event.outcome()).record(event.duration());
 *     }
 *
 *     @Override
 *     public void connectFailed(ConnectFailed event) {
 *         log.warn("link {} attempt {} failed: {}", event.link(), event.attempt(), event.cause().toString());
 *     }
 * };
 * Client client = Client.builder().transport(transport).eventListener(metrics).build();
 * }</pre>
 *
 * <p>Methods are called on the thread where the event happens (a caller's, a transport's or the
 * scheduler's): return quickly and never block. A listener that throws is logged and ignored; it
 * never breaks a call. Every method does nothing by default.
 */
public interface ClientEventListener {

    /**
     * A call (execute) started.
     *
     * @param event what started
     */
    default void callStarted(CallStarted event) {
    }

    /**
     * A call ended, in any way.
     *
     * @param event how it ended
     */
    default void callFinished(CallFinished event) {
    }

    /**
     * An attempt of a call failed and another is scheduled.
     *
     * @param event which attempt, why, and the delay before the next
     */
    default void retryScheduled(RetryScheduled event) {
    }

    /**
     * An attempt to open (or re-open) a link failed.
     *
     * @param event which link, why, and when the next attempt comes
     */
    default void connectFailed(ConnectFailed event) {
    }

    /**
     * A link of the permanent session, or the session as a whole, changed state.
     *
     * @param event which, from and to
     */
    default void stateChanged(StateChanged event) {
    }

    /**
     * A subscription started (a subscriber subscribed).
     *
     * @param event which
     */
    default void subscriptionStarted(SubscriptionStarted event) {
    }

    /**
     * A subscription ended, in any way.
     *
     * @param event how
     */
    default void subscriptionEnded(SubscriptionEnded event) {
    }

    /** How a call or subscription ended. */
    enum Outcome {
        /** A result without GraphQL errors; for a subscription, the server completed it. */
        SUCCESS,
        /** A result with GraphQL errors (the server answered). */
        GRAPHQL_ERRORS,
        /** No result: the transport failed (after any retries). */
        FAILED,
        /** No result within the timeout or deadline. */
        TIMED_OUT,
        /** The caller cancelled, or the session was closed. */
        CANCELLED
    }

    /**
     * A call started.
     *
     * @param callId        a number unique within the client
     * @param operationName the operation's name, or an empty string for an anonymous operation
     * @param operationType query or mutation
     */
    record CallStarted(long callId, String operationName, OperationType operationType) {
    }

    /**
     * A call ended.
     *
     * @param callId        as in {@link CallStarted}
     * @param operationName the operation's name, or an empty string
     * @param operationType query or mutation
     * @param outcome       how it ended
     * @param attempts      how many attempts were made (0 if none reached the transport)
     * @param duration      from start to end
     * @param failure       the failure, for outcomes other than SUCCESS and GRAPHQL_ERRORS
     */
    record CallFinished(long callId, String operationName, OperationType operationType, Outcome outcome, int attempts,
            Duration duration, Throwable failure) {

        /** @return the failure, if the call failed */
        public Optional<Throwable> failureIfAny() {
            return Optional.ofNullable(failure);
        }
    }

    /**
     * An attempt failed and another is scheduled.
     *
     * @param callId        as in {@link CallStarted}
     * @param operationName the operation's name, or an empty string
     * @param attempt       the number of the attempt that failed, from 1
     * @param delay         how long until the next attempt
     * @param cause         why the attempt failed
     */
    record RetryScheduled(long callId, String operationName, int attempt, Duration delay, Throwable cause) {
    }

    /**
     * A connect attempt failed.
     *
     * @param link      the link's name: {@code main}, or {@code subscriptions} for a separate subscription transport
     * @param attempt   the number of the attempt since the link was last up, from 1
     * @param cause     why it failed
     * @param nextDelay how long until the next attempt, or {@code null} when the connect policy gave up
     */
    record ConnectFailed(String link, int attempt, Throwable cause, Duration nextDelay) {
    }

    /**
     * A state change.
     *
     * @param link the link's name, or {@code session} for the session's overall state
     * @param from the state before
     * @param to   the state now
     */
    record StateChanged(String link, ConnectionState from, ConnectionState to) {
    }

    /**
     * A subscription started.
     *
     * @param subscriptionId a number unique within the client
     * @param operationName  the operation's name, or an empty string
     */
    record SubscriptionStarted(long subscriptionId, String operationName) {
    }

    /**
     * A subscription ended.
     *
     * @param subscriptionId as in {@link SubscriptionStarted}
     * @param operationName  the operation's name, or an empty string
     * @param outcome        SUCCESS when the server completed it, FAILED on an error, CANCELLED when the subscriber cancelled
     * @param events         how many events were delivered
     * @param duration       from start to end
     * @param failure        the failure, for FAILED
     */
    record SubscriptionEnded(long subscriptionId, String operationName, Outcome outcome, long events, Duration duration,
            Throwable failure) {
    }
}
