package dev.jgql;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call as it travels down the pipeline, from the session through the
 * {@link GraphQLInterceptor interceptors} to the transport: the request, the call's options (the
 * client's defaults with the caller's over them), and attributes that interceptors use to pass
 * facts along. Immutable: interceptors change a call by passing a modified copy on.
 *
 * <pre>{@code
 * GraphQLInterceptor tenant = (call, chain) -> chain.proceed(call.withHeader("X-Tenant", tenants.current()));
 * }</pre>
 */
public final class GraphQLCall {
    private final GraphQLRequest request;
    private final CallOptions options;
    private final Map<String, Object> attributes;

    private GraphQLCall(GraphQLRequest request, CallOptions options, Map<String, Object> attributes) {
        this.request = Objects.requireNonNull(request, "request");
        this.options = Objects.requireNonNull(options, "options");
        this.attributes = attributes;
    }

    /**
     * A call of this request with no options of its own.
     *
     * @param request the request
     * @return the call
     */
    public static GraphQLCall of(GraphQLRequest request) {
        return new GraphQLCall(request, CallOptions.none(), Map.of());
    }

    /**
     * A call of this request with these options.
     *
     * @param request the request
     * @param options the options, already merged with any defaults
     * @return the call
     */
    public static GraphQLCall of(GraphQLRequest request, CallOptions options) {
        return new GraphQLCall(request, options, Map.of());
    }

    /** @return the GraphQL request */
    public GraphQLRequest request() {
        return request;
    }

    /** @return the call's options */
    public CallOptions options() {
        return options;
    }

    /**
     * An attribute set by an interceptor upstream.
     *
     * @param name the attribute's name; use a prefix of your own, {@code jgql.} is jgql's
     * @param type its type
     * @param <T>  its type
     * @return its value, or empty if it is not set (or not of that type)
     */
    public <T> Optional<T> attribute(String name, Class<T> type) {
        Object value = attributes.get(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }

    /** @return every attribute, read-only */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * This call with another request (other variables, extensions, or document).
     *
     * @param newRequest the request
     * @return the modified copy
     */
    public GraphQLCall withRequest(GraphQLRequest newRequest) {
        return new GraphQLCall(newRequest, options, attributes);
    }

    /**
     * This call with other options.
     *
     * @param newOptions the options
     * @return the modified copy
     */
    public GraphQLCall withOptions(CallOptions newOptions) {
        return new GraphQLCall(request, newOptions, attributes);
    }

    /**
     * This call with one more header (replacing one of the same name).
     *
     * @param name  the header's name
     * @param value its value
     * @return the modified copy
     */
    public GraphQLCall withHeader(String name, String value) {
        return withOptions(options.toBuilder().header(name, value).build());
    }

    /**
     * This call with an attribute set.
     *
     * @param name  the attribute's name
     * @param value its value
     * @return the modified copy
     */
    public GraphQLCall withAttribute(String name, Object value) {
        Map<String, Object> copy = new HashMap<>(attributes);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new GraphQLCall(request, options, Map.copyOf(copy));
    }

    @Override
    public String toString() {
        return "GraphQLCall{" + request + ", " + options + '}';
    }
}
