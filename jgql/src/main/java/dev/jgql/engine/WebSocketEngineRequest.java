package dev.jgql.engine;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to open a WebSocket to: the URI, the subprotocols to offer in order, the handshake headers
 * and the time the handshake may take. Immutable.
 *
 * <pre>{@code
 * WebSocketEngineRequest request = WebSocketEngineRequest.builder(URI.create("ws://host/graphql"))
 *     .subprotocols(List.of("graphql-transport-ws"))
 *     .header("Authorization", "Bearer " + token)
 *     .build();
 * }</pre>
 */
public final class WebSocketEngineRequest {
    private final URI uri;
    private final List<String> subprotocols;
    private final Map<String, String> headers;
    private final Duration connectTimeout;

    private WebSocketEngineRequest(Builder builder) {
        this.uri = builder.uri;
        this.subprotocols = List.copyOf(builder.subprotocols);
        this.headers = Map.copyOf(builder.headers);
        this.connectTimeout = builder.connectTimeout;
    }

    /**
     * A builder for a WebSocket to this URI.
     *
     * @param uri a {@code ws://} or {@code wss://} URI
     * @return a builder
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** @return the URI to connect to */
    public URI uri() {
        return uri;
    }

    /** @return the subprotocols to offer, most preferred first; may be empty */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** @return the handshake headers */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return how long the TCP connect and the handshake together may take */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Builds a {@link WebSocketEngineRequest}. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private List<String> subprotocols = List.of();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * The subprotocols to offer. Default: none.
         *
         * @param subprotocols most preferred first
         * @return this builder
         */
        public Builder subprotocols(List<String> subprotocols) {
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /**
         * A handshake header. Default: none.
         *
         * @param name  the header's name
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * How long connecting and the handshake may take. Default 10 seconds.
         *
         * @param connectTimeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = dev.jgql.internal.Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Builds the request.
         *
         * @return an immutable request
         */
        public WebSocketEngineRequest build() {
            return new WebSocketEngineRequest(this);
        }
    }
}
