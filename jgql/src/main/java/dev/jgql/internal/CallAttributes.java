package dev.jgql.internal;

import dev.jgql.GraphQLCall;

/**
 * The {@link GraphQLCall#attribute call attributes} jgql's own steps set for its transports: how a
 * request is to go on the wire, decided by a step about requests (persisted queries) and carried
 * out by the transport about the protocol. A transport that does not know one ignores it.
 */
public final class CallAttributes {
    /** {@code Boolean.TRUE}: send the request without its document (the server knows it by the hash or id in its extensions). */
    public static final String WITHOUT_DOCUMENT = "jgql.withoutDocument";
    /** {@code Boolean.TRUE}: send this query as an HTTP GET (cacheable), whatever the transport's default. */
    public static final String HTTP_GET = "jgql.httpGet";

    private CallAttributes() {
    }

    /** Whether the call's request goes with its document (the default). */
    public static boolean withDocument(GraphQLCall call) {
        return !Boolean.TRUE.equals(call.attributes().get(WITHOUT_DOCUMENT));
    }

    /** Whether the call asks to go as an HTTP GET. */
    public static boolean httpGet(GraphQLCall call) {
        return Boolean.TRUE.equals(call.attributes().get(HTTP_GET));
    }
}
