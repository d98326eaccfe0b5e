package dev.jgql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A whole GraphQL response: {@code data}, {@code errors}, {@code extensions}, and what the transport
 * knows about it (the HTTP status and headers when over HTTP). Immutable; the maps are read-only
 * views of what the server sent.
 *
 * <pre>{@code
 * ExecutionResult result = session.executeForResult(query);
 * if (result.hasErrors()) {
 *     log.warn("partial answer: {}", result.errors());
 * }
 * Map<String, Object> data = result.data();
 * int status = result.httpStatus().orElse(-1);
 * }</pre>
 *
 * <p>{@link #isDataPresent()} tells a <em>request error</em> (no {@code data} key: the operation
 * never ran) from an <em>execution result</em> whose {@code data} is {@code null}.
 *
 * <p>Typed access: {@link #field(String)} reaches into the data by path and maps it to Java
 * types with Jackson (the client's mapper); GraphQL errors at or above that path fail it, while
 * the rest of a partial answer stays reachable.
 *
 * <pre>{@code
 * record Country(String code, String name) { }
 * List<Country> countries = result.field("continent.countries").toEntityList(Country.class);
 * String first = result.field("continent.countries[0].name").toEntity(String.class);
 * }</pre>
 */
public final class ExecutionResult {
    private final Map<String, Object> data;
    private final boolean dataPresent;
    private final List<GraphQLError> errors;
    private final Map<String, Object> extensions;
    private final int httpStatus;
    /** The headers as the transport gave them; turned into {@link #headers} when first asked for. */
    private final HttpHeaders rawHeaders;
    private volatile Map<String, List<String>> headers;
    /** The mapper typed access uses; null for jgql's default one. */
    private final ObjectMapper objectMapper;

    private ExecutionResult(Builder builder) {
        this.data = builder.data == null ? null : Collections.unmodifiableMap(builder.data);
        this.dataPresent = builder.dataPresent;
        this.errors = List.copyOf(builder.errors);
        this.extensions = Collections.unmodifiableMap(builder.extensions);
        this.httpStatus = builder.httpStatus;
        this.rawHeaders = builder.rawHeaders;
        this.headers = builder.headers == null ? null : Collections.unmodifiableMap(builder.headers);
        this.objectMapper = builder.objectMapper;
    }

    private ExecutionResult(ExecutionResult result, Map<String, Object> data, ObjectMapper objectMapper) {
        this.data = data == null ? null : (data == result.data ? data : Collections.unmodifiableMap(data));
        this.dataPresent = result.dataPresent;
        this.errors = result.errors;
        this.extensions = result.extensions;
        this.httpStatus = result.httpStatus;
        this.rawHeaders = result.rawHeaders;
        this.headers = result.headers;
        this.objectMapper = objectMapper;
    }

    /** A new builder; every field starts empty (no data, no errors, no HTTP status). */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code data} map, or {@code null} when the server sent none or sent {@code null}. */
    public Map<String, Object> data() {
        return data;
    }

    /** Whether the response had a {@code data} key at all (even with a {@code null} value). */
    public boolean isDataPresent() {
        return dataPresent;
    }

    /** The GraphQL errors; empty when the operation succeeded. */
    public List<GraphQLError> errors() {
        return errors;
    }

    /** Whether the response carries GraphQL errors. */
    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The response's {@code extensions}; empty when it had none. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** The HTTP status of the response, when it came over HTTP. */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The HTTP response headers, names in lower case; empty when not over HTTP. */
    public Map<String, List<String>> headers() {
        Map<String, List<String>> lowerCase = headers;
        if (lowerCase == null) {
            // Computed on demand: most callers never look, and the copy is the costliest part of a small result.
            lowerCase = Collections.unmodifiableMap(lowerCase(rawHeaders.map()));
            headers = lowerCase;
        }
        return lowerCase;
    }

    /**
     * The value at a path of the data, for typed access: field names (response keys, so aliases)
     * separated by dots, list elements by index, e.g. {@code "continent.countries[0].name"}; the
     * empty path is the whole data. Never fails itself: what it finds is checked when it is read.
     *
     * @param path the path
     * @return the field
     */
    public ResultField field(String path) {
        return new ResultField(this, path, objectMapper);
    }

    /**
     * The whole data as a Java type: {@code field("").toEntity(type)}.
     *
     * @throws TransportQueryException if the result has GraphQL errors
     * @throws ResultMappingException  if Jackson cannot build the type from the data
     */
    public <T> T toEntity(Class<T> type) {
        return field("").toEntity(type);
    }

    /** The whole data as a generic Java type; see {@link #toEntity(Class)}. */
    public <T> T toEntity(TypeReference<T> type) {
        return field("").toEntity(type);
    }

    /**
     * This result with the data replaced, everything else kept: for interceptors that rewrite
     * answers (jgql's scalar parsing does).
     *
     * @param data the new data
     * @return the copy
     */
    public ExecutionResult withData(Map<String, Object> data) {
        return new ExecutionResult(this, data, objectMapper);
    }

    /**
     * This result with the mapper that {@link #field typed access} uses, e.g. one with your own
     * modules. Sessions give their results the client's {@link Client.Builder#objectMapper mapper}.
     *
     * @param objectMapper the mapper
     * @return the copy
     */
    public ExecutionResult withObjectMapper(ObjectMapper objectMapper) {
        return new ExecutionResult(this, data, java.util.Objects.requireNonNull(objectMapper, "objectMapper"));
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lowerCase = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> lowerCase.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
        }
        return lowerCase;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ExecutionResult{");
        text.append(dataPresent ? "data=" + data : "no data");
        if (!errors.isEmpty()) {
            text.append(", errors=").append(errors);
        }
        if (!extensions.isEmpty()) {
            text.append(", extensions=").append(extensions);
        }
        if (httpStatus >= 0) {
            text.append(", httpStatus=").append(httpStatus);
        }
        return text.append('}').toString();
    }

    /** Builds an {@link ExecutionResult}; used by transports. Not thread-safe. */
    public static final class Builder {
        private Map<String, Object> data;
        private boolean dataPresent;
        private List<GraphQLError> errors = List.of();
        private Map<String, Object> extensions = Map.of();
        private int httpStatus = -1;
        private Map<String, List<String>> headers = Map.of();
        private HttpHeaders rawHeaders;
        private ObjectMapper objectMapper;

        private Builder() {
        }

        /** The mapper {@link ExecutionResult#field typed access} uses. Default: jgql's own (java.time supported). */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = objectMapper;
            return this;
        }

        /** Sets {@code data} and marks it present (a {@code null} value is a present, null data). */
        public Builder data(Map<String, Object> data) {
            this.data = data;
            this.dataPresent = true;
            return this;
        }

        /** The GraphQL errors; default none. */
        public Builder errors(List<GraphQLError> errors) {
            this.errors = errors == null ? List.of() : errors;
            return this;
        }

        /** The response extensions; default none. */
        public Builder extensions(Map<String, Object> extensions) {
            this.extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
            return this;
        }

        /** The HTTP status; default none. */
        public Builder httpStatus(int httpStatus) {
            this.httpStatus = httpStatus;
            return this;
        }

        /** The HTTP response headers; names are stored in lower case. Default none. */
        public Builder headers(Map<String, List<String>> headers) {
            this.headers = lowerCase(headers);
            this.rawHeaders = null;
            return this;
        }

        /**
         * The HTTP response headers as an engine gives them; kept as they are and presented with
         * names in lower case by {@link ExecutionResult#headers()}. Default none.
         */
        public Builder headers(HttpHeaders headers) {
            this.rawHeaders = java.util.Objects.requireNonNull(headers, "headers");
            this.headers = null;
            return this;
        }

        public ExecutionResult build() {
            return new ExecutionResult(this);
        }
    }
}
