package dev.jgql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a GraphQL response's {@code errors}, as the GraphQL specification defines it:
 * a message, the locations in the document, the path of the field that failed, and extensions.
 * Immutable.
 *
 * <pre>{@code
 * for (GraphQLError error : result.errors()) {
 *     Object code = error.extensions().get("code");
 *     System.out.println(error.message() + " at " + error.path() + " " + code);
 * }
 * }</pre>
 */
public final class GraphQLError {

    /** A 1-based position in the GraphQL document. */
    public record Location(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    private final String message;
    private final List<Location> locations;
    private final List<Object> path;
    private final Map<String, Object> extensions;

    /**
     * @param message    the error's message; never null
     * @param locations  where in the document; may be null or empty
     * @param path       path of the field (strings and 0-based indexes); may be null or empty
     * @param extensions vendor extensions; may be null or empty
     */
    public GraphQLError(String message, List<Location> locations, List<Object> path, Map<String, Object> extensions) {
        this.message = Objects.requireNonNull(message, "message");
        this.locations = locations == null ? List.of() : List.copyOf(locations);
        this.path = path == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(path));
        this.extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /** The human-readable message. */
    public String message() {
        return message;
    }

    /** Where in the document the error is; empty when the server did not say. */
    public List<Location> locations() {
        return locations;
    }

    /** The response path of the field that failed (strings and 0-based indexes); may be empty. */
    public List<Object> path() {
        return path;
    }

    /** Vendor extensions such as {@code code} or {@code classification}; may be empty. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GraphQLError that
                && message.equals(that.message)
                && locations.equals(that.locations)
                && path.equals(that.path)
                && extensions.equals(that.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(message, locations, path, extensions);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(message);
        if (!path.isEmpty()) {
            text.append(" (path ").append(path).append(')');
        }
        if (!locations.isEmpty()) {
            text.append(" (at ").append(locations).append(')');
        }
        return text.toString();
    }
}
