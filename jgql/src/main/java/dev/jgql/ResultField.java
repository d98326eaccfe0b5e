package dev.jgql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.jgql.internal.ResultPaths;
import dev.jgql.transport.support.GraphQLJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One field of a result's data, reached by a path, mapped to Java types with Jackson: the
 * counterpart of Spring for GraphQL's {@code ClientResponseField}. Get it with
 * {@link ExecutionResult#field(String)}.
 *
 * <pre>{@code
 * record Country(String code, String name) { }
 * ExecutionResult result = session.executeForResult(query).join();
 * List<Country> countries = result.field("continent.countries").toEntityList(Country.class);
 * Map<String, Object> raw = result.field("continent").toEntity(new TypeReference<>() { });
 * }</pre>
 *
 * <p>Reading fails with {@link TransportQueryException} when the result has GraphQL errors at,
 * above or below the path (the field is missing or partial because of them; other fields of a
 * partial answer stay readable), and with {@link ResultMappingException} when the path is not in
 * the data or Jackson cannot build the type. A {@code null} on the path gives {@code null}
 * ({@link #toEntityList} an empty list). Properties the Java type does not have are ignored: a
 * record may take fewer fields than the query selects.
 */
public final class ResultField {
    private static final ObjectMapper DEFAULT_MAPPER = GraphQLJson.defaultMapper();

    private final ExecutionResult result;
    private final String path;
    private final List<Object> segments;
    private final ObjectMapper mapper;

    ResultField(ExecutionResult result, String path, ObjectMapper mapper) {
        this.result = result;
        this.path = Objects.requireNonNull(path, "path");
        this.segments = parse(path);
        this.mapper = mapper == null ? DEFAULT_MAPPER : mapper;
    }

    private static List<Object> parse(String path) {
        List<Object> segments = new ArrayList<>();
        if (path.isEmpty()) {
            return segments;
        }
        for (String part : path.split("\\.", -1)) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (name.isEmpty() && bracket != 0) {
                throw new IllegalArgumentException("Empty field name in the path '" + path + "'");
            }
            if (!name.isEmpty()) {
                segments.add(isIndex(name) ? (Object) Integer.parseInt(name) : name);
            }
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                String index = close < 0 ? "" : part.substring(bracket + 1, close);
                if (!isIndex(index)) {
                    throw new IllegalArgumentException("Bad list index in the path '" + path
                            + "': write list elements as name[0]");
                }
                segments.add(Integer.parseInt(index));
                bracket = part.indexOf('[', close);
                if (bracket < 0 && close != part.length() - 1) {
                    throw new IllegalArgumentException("Unexpected text after ']' in the path '" + path + "'");
                }
            }
        }
        return List.copyOf(segments);
    }

    private static boolean isIndex(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** @return the path as given */
    public String path() {
        return path;
    }

    /**
     * The GraphQL errors that concern this field: those whose path is at, above or below it, and
     * those without a path (they concern the whole request).
     *
     * @return the errors; empty when the field is clean
     */
    public List<GraphQLError> errors() {
        List<GraphQLError> concerning = new ArrayList<>();
        for (GraphQLError error : result.errors()) {
            if (error.path().isEmpty() || related(error.path())) {
                concerning.add(error);
            }
        }
        return concerning;
    }

    private boolean related(List<Object> errorPath) {
        int common = Math.min(errorPath.size(), segments.size());
        for (int i = 0; i < common; i++) {
            if (!String.valueOf(errorPath.get(i)).equals(String.valueOf(segments.get(i)))) {
                return false;
            }
        }
        return true;
    }

    /** @return whether the path leads to a value in the data ({@code null} included) */
    public boolean isPresent() {
        return find(false) != MISSING;
    }

    /**
     * The raw value at the path, as the data holds it (maps, lists, strings, numbers, and the Java
     * values of custom scalars parsed by the client).
     *
     * @throws TransportQueryException if GraphQL errors concern the field
     * @throws ResultMappingException  if the path is not in the data
     */
    public Object value() {
        checkErrors();
        return find(true);
    }

    /**
     * The value as a Java type.
     *
     * @throws TransportQueryException if GraphQL errors concern the field
     * @throws ResultMappingException  if the path is not in the data, or Jackson cannot build the type
     */
    public <T> T toEntity(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return convert(mapper.constructType(type));
    }

    /** The value as a generic Java type, e.g. {@code new TypeReference<List<Country>>() { }}; see {@link #toEntity(Class)}. */
    public <T> T toEntity(TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        return convert(mapper.constructType(type));
    }

    /** The value, a list, as a list of a Java type; an empty list for {@code null}. See {@link #toEntity(Class)}. */
    public <T> List<T> toEntityList(Class<T> elementType) {
        Objects.requireNonNull(elementType, "elementType");
        List<T> list = convert(mapper.getTypeFactory().constructCollectionType(List.class, elementType));
        return list == null ? List.of() : list;
    }

    private <T> T convert(JavaType type) {
        Object value = value();
        if (value == null) {
            return null;
        }
        try {
            // Through a token buffer with dates as ISO text: nothing of an OffsetDateTime is lost on the way.
            TokenBuffer buffer = new TokenBuffer(mapper, false);
            mapper.writer().without(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValue(buffer, value);
            return mapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(buffer.asParser(mapper));
        } catch (IOException | IllegalArgumentException e) {
            throw new ResultMappingException("Cannot build " + type.toCanonical() + " from the value at '" + path
                    + "' (" + GraphQLJson.shortened(value) + "): " + e.getMessage(), e);
        }
    }

    private void checkErrors() {
        List<GraphQLError> concerning = errors();
        if (!concerning.isEmpty()) {
            throw new TransportQueryException(ExecutionResult.builder()
                    .data(result.data())
                    .errors(concerning)
                    .extensions(result.extensions())
                    .build());
        }
        if (!result.isDataPresent()) {
            throw new ResultMappingException("The result has no data to read '" + path + "' from: " + result);
        }
    }

    private static final Object MISSING = new Object();

    private Object find(boolean failIfMissing) {
        Object current = result.data();
        for (int i = 0; i < segments.size(); i++) {
            if (current == null) {
                return null; // a null parent: the field is null too
            }
            Object segment = segments.get(i);
            Object next = MISSING;
            if (current instanceof Map<?, ?> map && map.containsKey(segment.toString())) {
                next = map.get(segment.toString());
            } else if (current instanceof List<?> list && segment instanceof Integer index && index < list.size()) {
                next = list.get(index);
            }
            if (next == MISSING) {
                if (!failIfMissing) {
                    return MISSING;
                }
                throw new ResultMappingException("The data has no '" + segment + "' at '" + ResultPaths.text(segments.subList(0, i)) + "' (path '"
                        + path + "'): " + describe(current));
            }
            current = next;
        }
        return current;
    }

    private static String describe(Object value) {
        if (value instanceof Map<?, ?> map) {
            return "it has the fields " + map.keySet();
        }
        if (value instanceof List<?> list) {
            return "it is a list of " + list.size() + " elements";
        }
        return "it is the value " + GraphQLJson.shortened(value);
    }

    @Override
    public String toString() {
        return "ResultField{" + path + '}';
    }
}
