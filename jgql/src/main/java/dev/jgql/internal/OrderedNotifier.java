package dev.jgql.internal;

import dev.jgql.ConnectionState;
import dev.jgql.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers state changes to listeners in the order they happened, one at a time, whichever
 * threads cause them: the first thread to find the queue idle drains it, the others only enqueue.
 */
final class OrderedNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedNotifier.class);

    private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<ConnectionState[]> queue = new ArrayDeque<>();
    private boolean draining;

    void add(ConnectionStateListener listener) {
        listeners.add(listener);
    }

    void remove(ConnectionStateListener listener) {
        listeners.remove(listener);
    }

    void publish(ConnectionState from, ConnectionState to) {
        enqueue(from, to);
        drain();
    }

    /** Records a change in its place in the order; may be called under the caller's own lock. */
    void enqueue(ConnectionState from, ConnectionState to) {
        synchronized (queue) {
            queue.add(new ConnectionState[] {from, to});
        }
    }

    /** Delivers what is queued, unless another thread already is; never call it holding a lock. */
    void drain() {
        synchronized (queue) {
            if (draining || queue.isEmpty()) {
                return;
            }
            draining = true;
        }
        while (true) {
            ConnectionState[] change;
            synchronized (queue) {
                change = queue.poll();
                if (change == null) {
                    draining = false;
                    return;
                }
            }
            for (ConnectionStateListener listener : listeners) {
                try {
                    listener.onStateChange(change[0], change[1]);
                } catch (RuntimeException e) {
                    LOG.warn("A connection state listener failed on {} -> {}", change[0], change[1], e);
                }
            }
        }
    }
}
