package dev.jgql.internal;

import dev.jgql.transport.TransportConnection;

import java.util.concurrent.CompletableFuture;

/** The one connection of a plain session: nothing reconnects it. */
final class FixedLink implements LinkSource {
    private final String name;
    private final CompletableFuture<TransportConnection> link;

    FixedLink(String name, TransportConnection connection) {
        this.name = name;
        this.link = CompletableFuture.completedFuture(connection);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<TransportConnection> link() {
        return link;
    }

    @Override
    public void failed(TransportConnection connection, Throwable cause) {
        // a plain session ends its calls with the failure; it does not reconnect
    }

    @Override
    public Throwable lastFailure() {
        return null;
    }
}
