package dev.jgql.internal;

import dev.jgql.TransportConnectionFailedException;

/** A fail-fast call met a link that is down: not sent, and not to be retried (it asked to fail fast). */
public final class LinkDownException extends TransportConnectionFailedException {
    private static final long serialVersionUID = 1L;

    public LinkDownException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
