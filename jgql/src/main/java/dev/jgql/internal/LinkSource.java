package dev.jgql.internal;

import dev.jgql.transport.TransportConnection;

import java.util.concurrent.CompletableFuture;

/**
 * Where a session's calls get their link: a fixed connection (plain session) or a supervised one
 * that is reopened when it breaks (permanent session).
 */
interface LinkSource {

    /** The link's name in events and messages: {@code main} or {@code subscriptions}. */
    String name();

    /**
     * The link to use now (a completed future), or the future of the next one; it fails if the
     * link cannot be had (closed, or the connect policy gave up). Asking while the link is down
     * counts as demand: attempts come sooner.
     */
    CompletableFuture<TransportConnection> link();

    /** A call on this connection failed in a way that says the link broke. */
    void failed(TransportConnection connection, Throwable cause);

    /** The last failure to connect since the link was up, for the messages of calls that waited in vain; or null. */
    Throwable lastFailure();
}
