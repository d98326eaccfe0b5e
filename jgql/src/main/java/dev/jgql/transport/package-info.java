/**
 * The transport SPI: what HTTP, WebSocket and custom transports implement. A {@link
 * dev.jgql.transport.Transport} is an endpoint's configuration; each connect opens a {@link
 * dev.jgql.transport.TransportConnection}, one link that carries any number of operations. The
 * contract for how each result and each stream can end is on {@link
 * dev.jgql.transport.TransportConnection}.
 */
package dev.jgql.transport;
