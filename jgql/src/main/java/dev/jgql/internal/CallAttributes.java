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

    /**
     * A {@code List<GraphQLCall>}: this call is a batch of these calls, to go as one request (a JSON
     * array over HTTP); its own request is the one whose type decides retries (a mutation, if any).
     * The transport answers with {@link #batchResult}.
     */
    public static final String BATCH = "jgql.batch";
    /** An {@link UploadParts}: the call's files, to go as a GraphQL multipart request (over HTTP only). */
    public static final String UPLOADS = "jgql.uploads";
    /** Where a batch's answer carries the result of each call, in order. */
    private static final String BATCH_RESULTS = "jgql.batchResults";

    private CallAttributes() {
    }

    /** The calls of a batch call, or null if the call is not a batch. */
    @SuppressWarnings("unchecked")
    public static java.util.List<GraphQLCall> batch(GraphQLCall call) {
        Object members = call.attributes().get(BATCH);
        return members instanceof java.util.List<?> list ? (java.util.List<GraphQLCall>) list : null;
    }

    /** The answer to a batch call: one result per call, in order. */
    public static dev.jgql.ExecutionResult batchResult(java.util.List<dev.jgql.ExecutionResult> results) {
        return dev.jgql.ExecutionResult.builder().extensions(java.util.Map.of(BATCH_RESULTS, java.util.List.copyOf(results)))
                .build();
    }

    /** The results a batch call was answered with, or null if the answer is not a batch's. */
    @SuppressWarnings("unchecked")
    public static java.util.List<dev.jgql.ExecutionResult> batchResults(dev.jgql.ExecutionResult answer) {
        Object results = answer.extensions().get(BATCH_RESULTS);
        return results instanceof java.util.List<?> list ? (java.util.List<dev.jgql.ExecutionResult>) list : null;
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
