package dev.jgql.internal;

import java.util.concurrent.ScheduledExecutorService;

/** A jgql session, which can lend its client's scheduler to helpers such as {@code Subscriptions.retrying}. */
public interface HasScheduler {
    /** The scheduler of the client that opened the session. */
    ScheduledExecutorService scheduler();
}
