package dev.jgql.micrometer;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.OperationType;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.RequestReplySenderContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an observation of one jgql call knows: the request (for a custom
 * {@link GraphQLClientObservationConvention}), the operation's name and type, the result, and the
 * headers a propagating handler (Micrometer Tracing's) writes the trace context into; jgql sends them
 * with every attempt of the call.
 *
 * <pre>{@code
 * GraphQLClientObservationConvention mine = new DefaultGraphQLClientObservationConvention() {
 *     public KeyValues getHighCardinalityKeyValues(GraphQLClientObservationContext context) {
 *         return KeyValues.of("graphql.document", context.request().document());
 *     }
 * };
 * }</pre>
 */
public final class GraphQLClientObservationContext extends RequestReplySenderContext<Map<String, String>, ExecutionResult> {
    private final GraphQLRequest request;

    /**
     * A context for a call of this request, with an empty header carrier.
     *
     * @param request the call's request
     */
    public GraphQLClientObservationContext(GraphQLRequest request) {
        super((carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
        this.request = Objects.requireNonNull(request, "request");
        setCarrier(new LinkedHashMap<>());
    }

    /** @return the call's request */
    public GraphQLRequest request() {
        return request;
    }

    /** @return the operation's name, or an empty string for an anonymous operation */
    public String operationName() {
        return request.selectedOperationName().orElse("");
    }

    /** @return query or mutation */
    public OperationType operationType() {
        return request.operationType();
    }
}
