package dev.jgql.spring.boot;

import dev.jgql.ClientEventListener;

import java.util.List;
import java.util.function.Consumer;

/** Tells every listener of the application's context each event, in order; the client shields callers from a throw. */
final class CompositeEventListener implements ClientEventListener {
    private final List<ClientEventListener> listeners;

    private CompositeEventListener(List<ClientEventListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** One listener for all, or null for none (so that the client creates no event at all). */
    static ClientEventListener of(List<ClientEventListener> listeners) {
        if (listeners.isEmpty()) {
            return null;
        }
        return listeners.size() == 1 ? listeners.get(0) : new CompositeEventListener(listeners);
    }

    private void each(Consumer<ClientEventListener> event) {
        RuntimeException first = null;
        for (ClientEventListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // The others still hear of it; the client logs the first failure.
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void callStarted(CallStarted event) {
        each(listener -> listener.callStarted(event));
    }

    @Override
    public void callFinished(CallFinished event) {
        each(listener -> listener.callFinished(event));
    }

    @Override
    public void retryScheduled(RetryScheduled event) {
        each(listener -> listener.retryScheduled(event));
    }

    @Override
    public void connectFailed(ConnectFailed event) {
        each(listener -> listener.connectFailed(event));
    }

    @Override
    public void stateChanged(StateChanged event) {
        each(listener -> listener.stateChanged(event));
    }

    @Override
    public void subscriptionStarted(SubscriptionStarted event) {
        each(listener -> listener.subscriptionStarted(event));
    }

    @Override
    public void subscriptionEnded(SubscriptionEnded event) {
        each(listener -> listener.subscriptionEnded(event));
    }
}
