package dev.jgql.internal;

import dev.jgql.TransportClosedException;

/** The session was closed by the application: how calls and streams it cuts short end. */
public final class ClosedByApplication extends TransportClosedException {
    private static final long serialVersionUID = 1L;

    public ClosedByApplication(String message) {
        super(message);
    }
}
