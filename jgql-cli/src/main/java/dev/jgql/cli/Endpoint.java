package dev.jgql.cli;

import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketProtocol;
import dev.jgql.transport.ws.WebSocketTransport;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the GraphQL server is and how to reach it: the URL's scheme picks the transport
 * ({@code http(s)} HTTP, {@code ws(s)} WebSocket) unless {@code --transport} overrides it.
 */
final class Endpoint {
    static final String NO_SSE = "jgql has no SSE transport (graphql-sse) yet: use http:// or https:// for queries "
            + "and mutations, ws:// or wss:// for subscriptions";

    /** The {@code --transport} choice. */
    enum Choice {
        AUTO, HTTP, WS, SSE
    }

    /** The transport an endpoint is reached with. */
    enum Kind {
        HTTP, WEBSOCKET
    }

    private final URI uri;
    private final Kind kind;

    private Endpoint(URI uri, Kind kind) {
        this.uri = uri;
        this.kind = kind;
    }

    /**
     * Parses the URL argument and applies the transport choice.
     *
     * @throws UsageException for anything that is not an absolute http(s) or ws(s) URL
     */
    static Endpoint parse(String url, Choice choice) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("Not a URL: '" + url + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("sse") || scheme.equals("sses") || scheme.endsWith("+sse") || choice == Choice.SSE) {
            throw new UsageException(NO_SSE);
        }
        Kind kind = switch (scheme) {
            case "http", "https" -> Kind.HTTP;
            case "ws", "wss" -> Kind.WEBSOCKET;
            default -> throw new UsageException("The URL must start with http://, https://, ws:// or wss://, not '"
                    + url + "'" + (uri.getHost() == null && !url.contains("://") ? " (did you mean http://" + url + " ?)" : ""));
        };
        if (uri.getHost() == null) {
            throw new UsageException("The URL has no host name: '" + url + "'");
        }
        if (choice == Choice.HTTP && kind == Kind.WEBSOCKET) {
            return new Endpoint(withScheme(uri, scheme.equals("wss") ? "https" : "http"), Kind.HTTP);
        }
        if (choice == Choice.WS && kind == Kind.HTTP) {
            return new Endpoint(withScheme(uri, scheme.equals("https") ? "wss" : "ws"), Kind.WEBSOCKET);
        }
        return new Endpoint(uri, kind);
    }

    private static URI withScheme(URI uri, String scheme) {
        try {
            return new URI(scheme, uri.getRawSchemeSpecificPart(), uri.getRawFragment());
        } catch (URISyntaxException e) {
            throw new UsageException("Cannot switch '" + uri + "' to " + scheme + "://: " + e.getReason());
        }
    }

    /**
     * Parses {@code -H "Name: value"} arguments; later ones replace earlier ones of the same name.
     *
     * @throws UsageException for an argument without a colon or with an empty or invalid name
     */
    static Map<String, String> parseHeaders(List<String> arguments) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String argument : arguments) {
            int colon = argument.indexOf(':');
            String name = colon < 0 ? "" : argument.substring(0, colon).strip();
            if (colon < 0 || name.isEmpty() || !name.chars().allMatch(Endpoint::isTokenChar)) {
                throw new UsageException("A header is 'Name: value', not '" + argument + "'");
            }
            headers.put(name, argument.substring(colon + 1).strip());
        }
        return headers;
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    URI uri() {
        return uri;
    }

    Kind kind() {
        return kind;
    }

    /** The endpoint as the prompt and messages show it: host, port and path, never credentials or the query. */
    String display() {
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /**
     * Builds the transport.
     *
     * @param protocol the WebSocket protocol to force, or {@code null} to negotiate
     * @throws UsageException if a header cannot be sent (one the transport sets itself)
     */
    Transport transport(Map<String, String> headers, Engine engine, WebSocketProtocol protocol, Duration connectTimeout) {
        try {
            if (kind == Kind.HTTP) {
                return engine.configure(HttpTransport.builder(uri).headers(headers).connectTimeout(connectTimeout)).build();
            }
            WebSocketTransport.Builder builder = WebSocketTransport.builder(uri).headers(headers)
                    .connectTimeout(connectTimeout).ackTimeout(connectTimeout);
            if (protocol != null) {
                builder.protocol(protocol);
            }
            return engine.configure(builder).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
