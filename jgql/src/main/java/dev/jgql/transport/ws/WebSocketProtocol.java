package dev.jgql.transport.ws;

/**
 * The GraphQL-over-WebSocket protocols jgql speaks. Their names are a trap: the modern protocol's
 * subprotocol string is {@code graphql-transport-ws} (the npm package that implements it is called
 * {@code graphql-ws}), while the subprotocol string {@code graphql-ws} belongs to the legacy Apollo
 * protocol ({@code subscriptions-transport-ws}).
 *
 * <pre>{@code
 * WebSocketTransport legacy = WebSocketTransport.builder(URI.create("ws://host/graphql"))
 *     .protocol(WebSocketProtocol.GRAPHQL_WS)
 *     .build();
 * }</pre>
 */
public enum WebSocketProtocol {

    /**
     * The modern protocol, subprotocol {@code graphql-transport-ws}: {@code subscribe} /
     * {@code next} / {@code error} / {@code complete}, {@code ping}/{@code pong} both ways, fatal
     * problems reported with 44xx close codes. Spoken by graphql-ws, Apollo Server, Spring for
     * GraphQL, Vert.x 5, Hot Chocolate and most current servers.
     */
    GRAPHQL_TRANSPORT_WS("graphql-transport-ws"),

    /**
     * The legacy Apollo protocol ({@code subscriptions-transport-ws}), subprotocol
     * {@code graphql-ws}: {@code start} / {@code data} / {@code error} / {@code complete} /
     * {@code stop}, server keep-alive {@code ka}. Unmaintained, but still served by older servers
     * (Vert.x 4's {@code ApolloWSHandler}, older Apollo and Hasura setups).
     */
    GRAPHQL_WS("graphql-ws");

    private final String subprotocol;

    WebSocketProtocol(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    /** The {@code Sec-WebSocket-Protocol} value of this protocol. */
    public String subprotocol() {
        return subprotocol;
    }
}
