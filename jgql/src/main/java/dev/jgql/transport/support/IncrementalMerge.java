package dev.jgql.transport.support;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.TransportProtocolException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Merges the payloads of one incrementally delivered result ({@code @defer}/{@code @stream}) into
 * the data so far, whichever generation of the format the server speaks, detected per payload:
 * <ul>
 *   <li>the {@code pending}/{@code incremental}/{@code completed} form (graphql-js 17 alpha 3+,
 *       Apollo Server's {@code incrementalSpec=v0.2}, the current spec draft): entries refer to a
 *       pending id; defer data goes to the pending path plus {@code subPath}, stream items are
 *       appended to the list at the pending path;</li>
 *   <li>the {@code incremental} array with {@code path}/{@code label} ({@code deferSpec=20220824}:
 *       Yoga, Apollo Router, graphql-java): defer data merges at {@code path}, stream items start at
 *       the index that ends {@code path};</li>
 *   <li>the early flat form with {@code path} and {@code data}/{@code items} at the top level.</li>
 * </ul>
 * Errors of every payload (and of failed {@code completed} entries) accumulate; extensions are
 * merged, later keys winning. The operation is finished when a payload says {@code hasNext: false}.
 *
 * <pre>{@code
 * IncrementalMerge merge = new IncrementalMerge();
 * for (Map<String, Object> payload : payloads) {
 *     ExecutionResult soFar = merge.apply(payload, () -> "part 2 of the response");
 * }
 * boolean done = merge.isFinished();
 * }</pre>
 *
 * <p>Not thread-safe: one per operation, fed serially. The results it returns are snapshots that
 * later payloads do not change.
 */
public final class IncrementalMerge {
    private final Consumer<ExecutionResult.Builder> decoration;
    private Map<String, Object> data;
    private boolean dataPresent;
    private final List<GraphQLError> errors = new ArrayList<>();
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, List<Object>> pendingPaths = new HashMap<>();
    private boolean first = true;
    private boolean finished;

    /** A merge whose results carry only what the payloads say. */
    public IncrementalMerge() {
        this(builder -> { });
    }

    /**
     * A merge whose every result is decorated, e.g. with the HTTP status and headers of the
     * response the payloads came in.
     *
     * @param decoration applied to the builder of every result, last
     */
    public IncrementalMerge(Consumer<ExecutionResult.Builder> decoration) {
        this.decoration = Objects.requireNonNull(decoration, "decoration");
    }

    /**
     * Whether a payload belongs to incremental delivery (it says {@code hasNext} or carries
     * incremental fields), as opposed to a plain single result.
     */
    public static boolean isIncremental(Map<String, Object> payload) {
        return payload.containsKey("hasNext") || payload.containsKey("incremental") || payload.containsKey("pending");
    }

    /** Whether a payload said {@code hasNext: false}, or a payload without {@code hasNext} ended a plain result. */
    public boolean isFinished() {
        return finished;
    }

    /** Whether no payload has been applied yet. */
    public boolean isEmpty() {
        return first;
    }

    /**
     * Applies the next payload and returns the merged result so far.
     *
     * @param payload the parsed payload
     * @param what    the subject of error messages, e.g. "part 3 of the response from URL"
     * @throws TransportProtocolException if the payload is not a GraphQL payload, or refers to a
     *                                    path or pending id that does not exist
     */
    public ExecutionResult apply(Map<String, Object> payload, Supplier<String> what) {
        if (first) {
            first = false;
            ExecutionResult initial = GraphQLJson.toResult(payload, what).build();
            data = initial.data() == null ? null : mutableCopy(initial.data());
            dataPresent = initial.isDataPresent();
            errors.addAll(initial.errors());
            extensions.putAll(initial.extensions());
        } else {
            if (payload.get("errors") != null) {
                errors.addAll(GraphQLJson.toErrors(payload.get("errors"), what.get()));
            }
            if (payload.get("extensions") instanceof Map<?, ?> more) {
                more.forEach((key, value) -> extensions.put(String.valueOf(key), value));
            }
            if (payload.containsKey("path") && (payload.containsKey("data") || payload.containsKey("items"))) {
                applyEntry(payload, what); // the early flat form
            }
        }
        for (Object pending : listOf(payload.get("pending"), "pending", what)) {
            Map<String, Object> entry = objectOf(pending, "pending", what);
            pendingPaths.put(String.valueOf(entry.get("id")), listOf(entry.get("path"), "pending path", what));
        }
        for (Object incremental : listOf(payload.get("incremental"), "incremental", what)) {
            applyEntry(objectOf(incremental, "incremental", what), what);
        }
        for (Object completed : listOf(payload.get("completed"), "completed", what)) {
            Map<String, Object> entry = objectOf(completed, "completed", what);
            pendingPaths.remove(String.valueOf(entry.get("id")));
            if (entry.get("errors") != null) {
                errors.addAll(GraphQLJson.toErrors(entry.get("errors"), what.get()));
            }
        }
        finished = !Boolean.TRUE.equals(payload.get("hasNext"));
        return snapshot();
    }

    /** The merged result so far. */
    public ExecutionResult snapshot() {
        ExecutionResult.Builder result = ExecutionResult.builder();
        if (dataPresent) {
            result.data(data == null ? null : immutableCopy(data));
        }
        if (!errors.isEmpty()) {
            result.errors(List.copyOf(errors));
        }
        if (!extensions.isEmpty()) {
            result.extensions(immutableCopy(extensions));
        }
        decoration.accept(result);
        return result.build();
    }

    private void applyEntry(Map<String, Object> entry, Supplier<String> what) {
        if (entry.get("errors") != null) {
            errors.addAll(GraphQLJson.toErrors(entry.get("errors"), what.get()));
        }
        if (entry.get("extensions") instanceof Map<?, ?> more) {
            more.forEach((key, value) -> extensions.put(String.valueOf(key), value));
        }
        List<Object> path;
        boolean byId = entry.containsKey("id") && !entry.containsKey("path");
        if (byId) {
            String id = String.valueOf(entry.get("id"));
            List<Object> pendingPath = pendingPaths.get(id);
            if (pendingPath == null) {
                throw new TransportProtocolException(what.get() + " has an incremental entry for id " + id
                        + ", which no 'pending' entry announced");
            }
            path = new ArrayList<>(pendingPath);
            path.addAll(listOf(entry.get("subPath"), "subPath", what));
        } else {
            path = listOf(entry.get("path"), "path", what);
        }
        if (entry.containsKey("items")) {
            List<Object> items = listOf(entry.get("items"), "items", what);
            int startIndex = -1;
            if (!byId) {
                // deferSpec=20220824: the path ends with the index of the first item
                if (path.isEmpty() || !(path.get(path.size() - 1) instanceof Number index)) {
                    throw new TransportProtocolException(what.get() + " has stream items whose path " + path
                            + " does not end with an index");
                }
                startIndex = index.intValue();
                path = path.subList(0, path.size() - 1);
            }
            Object target = at(path);
            if (target instanceof List<?> list) {
                @SuppressWarnings("unchecked")
                List<Object> values = (List<Object>) list;
                int index = startIndex < 0 ? values.size() : startIndex;
                for (Object item : items) {
                    while (values.size() < index) {
                        values.add(null);
                    }
                    if (index < values.size()) {
                        values.set(index, mutableCopy(item));
                    } else {
                        values.add(mutableCopy(item));
                    }
                    index++;
                }
            }
            // A list nulled by an error gets no items: the errors say why.
        } else if (entry.get("data") instanceof Map<?, ?> fragment) {
            Object target = at(path);
            if (target instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                deepMerge(object, fragment);
            }
        }
    }

    /** The value at a path of the data, or null when the path leads nowhere (a branch nulled by an error). */
    private Object at(List<Object> path) {
        Object node = data;
        for (Object step : path) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(String.valueOf(step));
            } else if (node instanceof List<?> list && step instanceof Number index) {
                node = index.intValue() >= 0 && index.intValue() < list.size() ? list.get(index.intValue()) : null;
            } else {
                return null;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> target, Map<?, ?> source) {
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object existing = target.get(key);
            if (existing instanceof Map<?, ?> existingMap && entry.getValue() instanceof Map<?, ?> incoming) {
                deepMerge((Map<String, Object>) existingMap, incoming);
            } else {
                target.put(key, mutableCopy(entry.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T mutableCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
            map.forEach((key, child) -> copy.put(String.valueOf(key), mutableCopy(child)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object child : list) {
                copy.add(mutableCopy(child));
            }
            return (T) copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T immutableCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
            map.forEach((key, child) -> copy.put(String.valueOf(key), immutableCopy(child)));
            return (T) Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object child : list) {
                copy.add(immutableCopy(child));
            }
            return (T) Collections.unmodifiableList(copy);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> listOf(Object value, String field, Supplier<String> what) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return (List<Object>) list;
        }
        throw new TransportProtocolException(what.get() + " has a '" + field + "' that is not a list: " + value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectOf(Object value, String field, Supplier<String> what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new TransportProtocolException(what.get() + " has a '" + field + "' entry that is not an object: " + value);
    }
}
