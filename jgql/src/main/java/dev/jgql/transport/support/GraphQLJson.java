package dev.jgql.transport.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads and writes the GraphQL JSON shapes: request payloads, responses and error objects. For
 * transports, jgql's own and third-party ones: every failure to read a response is a
 * {@link TransportProtocolException} whose message says what was received.
 *
 * <pre>{@code
 * byte[] body = GraphQLJson.writeRequest(mapper, request);
 * // ... send it, receive responseBytes ...
 * Map<String, Object> json = GraphQLJson.readObject(mapper, responseBytes, "The response from " + where);
 * ExecutionResult result = GraphQLJson.toResult(json, "The response from " + where).build();
 * }</pre>
 */
public final class GraphQLJson {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    private static final int EXCERPT_LENGTH = 200;

    private GraphQLJson() {
    }

    /**
     * The mapper jgql uses when the application gives none: it rejects trailing garbage after a
     * JSON value, and writes and reads {@code java.time} values as ISO-8601 text keeping their
     * offsets (variables of {@code DateTime} scalars, typed results).
     */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The request as the GraphQL-over-HTTP JSON body: {@code query}, {@code operationName}, {@code variables}, {@code extensions}. */
    public static byte[] writeRequest(ObjectMapper mapper, GraphQLRequest request) {
        return writeRequest(mapper, request, true);
    }

    /**
     * {@link #writeRequest(ObjectMapper, GraphQLRequest)}, or without {@code query} when
     * {@code withDocument} is false: a persisted query, which the server knows by the hash or id in
     * the request's extensions.
     */
    public static byte[] writeRequest(ObjectMapper mapper, GraphQLRequest request, boolean withDocument) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((withDocument ? request.document().length() : 0) + 64);
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            generator.setCodec(mapper);
            generator.writeStartObject();
            writeRequestFields(generator, request, withDocument);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialise the variables of " + request, e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the request's fields into an object the caller has started, so WebSocket messages can
     * nest them as a payload without building an intermediate map. Keys absent from the request
     * are omitted: some servers reject unknown or null top-level keys.
     */
    public static void writeRequestFields(JsonGenerator generator, GraphQLRequest request) throws IOException {
        writeRequestFields(generator, request, true);
    }

    /** {@link #writeRequestFields(JsonGenerator, GraphQLRequest)}, without {@code query} unless {@code withDocument}. */
    public static void writeRequestFields(JsonGenerator generator, GraphQLRequest request, boolean withDocument)
            throws IOException {
        if (withDocument) {
            generator.writeStringField("query", request.document());
        }
        if (request.operationName().isPresent()) {
            generator.writeStringField("operationName", request.operationName().get());
        }
        if (!request.variables().isEmpty()) {
            generator.writeFieldName("variables");
            generator.writeObject(request.variables());
        }
        if (!request.extensions().isEmpty()) {
            generator.writeFieldName("extensions");
            generator.writeObject(request.extensions());
        }
    }

    /** Parses a JSON object; anything else (truncated, not JSON, an array) is a protocol error. */
    public static Map<String, Object> readObject(ObjectMapper mapper, byte[] body, String what) {
        try {
            Map<String, Object> value = mapper.readValue(body, OBJECT);
            if (value == null) {
                throw new TransportProtocolException(what + " is JSON null, not an object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new TransportProtocolException(what + " is not a JSON object (" + e.getOriginalMessage()
                    + "); received: " + excerpt(body), e);
        } catch (IOException e) {
            throw new TransportProtocolException(what + " could not be read: " + e.getMessage(), e);
        }
    }

    /** Parses a JSON text; see {@link #readObject(ObjectMapper, byte[], String)}. */
    public static Map<String, Object> readObject(ObjectMapper mapper, String body, String what) {
        return readObject(mapper, body.getBytes(StandardCharsets.UTF_8), what);
    }

    /**
     * Parses a JSON object from part of a byte array (UTF-8), without copying it; see
     * {@link #readObject(ObjectMapper, byte[], String)}.
     */
    public static Map<String, Object> readObject(ObjectMapper mapper, byte[] body, int offset, int length, String what) {
        return readObject(mapper, body, offset, length, () -> what);
    }

    /**
     * {@link #readObject(ObjectMapper, byte[], int, int, String)} with the subject of error
     * messages built only when one is: for the hot path, where almost every body is fine.
     */
    public static Map<String, Object> readObject(ObjectMapper mapper, byte[] body, int offset, int length,
            Supplier<String> what) {
        try (JsonParser parser = mapper.getFactory().createParser(body, offset, length)) {
            return readObject(mapper, parser, what, () -> excerpt(body, offset, length));
        } catch (IOException e) {
            throw new TransportProtocolException(what.get() + " could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a JSON object from part of a character array, without making a String of it; see
     * {@link #readObject(ObjectMapper, byte[], String)}.
     */
    public static Map<String, Object> readObject(ObjectMapper mapper, char[] body, int offset, int length, String what) {
        return readObject(mapper, body, offset, length, () -> what);
    }

    /**
     * {@link #readObject(ObjectMapper, char[], int, int, String)} with the subject of error
     * messages built only when one is: for the hot path, where almost every message is fine.
     */
    public static Map<String, Object> readObject(ObjectMapper mapper, char[] body, int offset, int length,
            Supplier<String> what) {
        try (JsonParser parser = mapper.getFactory().createParser(body, offset, length)) {
            return readObject(mapper, parser, what, () -> shortText(new String(body, offset,
                    Math.min(length, EXCERPT_LENGTH * 4))));
        } catch (IOException e) {
            throw new TransportProtocolException(what.get() + " could not be read: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> readObject(ObjectMapper mapper, JsonParser parser, Supplier<String> what,
            Supplier<String> received) throws IOException {
        try {
            Map<String, Object> value = mapper.readValue(parser, OBJECT);
            if (value == null) {
                throw new TransportProtocolException(what.get() + " is JSON null, not an object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new TransportProtocolException(what.get() + " is not a JSON object (" + e.getOriginalMessage()
                    + "); received: " + received.get(), e);
        }
    }

    /**
     * Turns a parsed GraphQL response into a result builder.
     *
     * @throws TransportProtocolException if it has neither {@code data} nor {@code errors}, or they
     *                                    have the wrong shape
     */
    public static ExecutionResult.Builder toResult(Map<String, Object> json, String what) {
        return toResult(json, () -> what);
    }

    /**
     * {@link #toResult(Map, String)} with the subject of error messages built only when one is.
     */
    public static ExecutionResult.Builder toResult(Map<String, Object> json, Supplier<String> what) {
        Object errors = json.get("errors");
        if (!json.containsKey("data") && errors == null) {
            throw new TransportProtocolException(what.get() + " has neither 'data' nor 'errors', so it is not a GraphQL "
                    + "response; keys received: " + json.keySet());
        }
        ExecutionResult.Builder result = ExecutionResult.builder();
        if (json.containsKey("data")) {
            result.data(objectOrNull(json.get("data"), what, " 'data'"));
        }
        if (errors != null) {
            result.errors(toErrors(errors, what.get()));
        }
        result.extensions(objectOrNull(json.get("extensions"), what, " 'extensions'"));
        return result;
    }

    /** Parses an {@code errors} value: a list of error objects. */
    public static List<GraphQLError> toErrors(Object errors, String what) {
        if (!(errors instanceof List<?> list)) {
            throw new TransportProtocolException(what + " 'errors' is not a list: " + shortText(errors));
        }
        List<GraphQLError> parsed = new ArrayList<>(list.size());
        for (Object entry : list) {
            parsed.add(toError(entry, what));
        }
        return parsed;
    }

    private static GraphQLError toError(Object entry, String what) {
        if (!(entry instanceof Map<?, ?> error)) {
            throw new TransportProtocolException(what + " has an error entry that is not an object: " + shortText(entry));
        }
        Object message = error.get("message");
        List<GraphQLError.Location> locations = new ArrayList<>();
        if (error.get("locations") instanceof List<?> list) {
            for (Object location : list) {
                if (location instanceof Map<?, ?> map && map.get("line") instanceof Number line
                        && map.get("column") instanceof Number column) {
                    locations.add(new GraphQLError.Location(line.intValue(), column.intValue()));
                }
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> path = error.get("path") instanceof List<?> list ? (List<Object>) list : null;
        return new GraphQLError(message == null ? "(the server gave no message)" : message.toString(), locations,
                path, objectOrNull(error.get("extensions"), () -> what, " error 'extensions'"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectOrNull(Object value, Supplier<String> what, String part) {
        if (value == null || value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw new TransportProtocolException(what.get() + part + " is not an object: " + shortText(value));
    }

    /** The start of a body, for error messages: printable, at most a couple of hundred characters. */
    public static String excerpt(byte[] body) {
        return body == null ? "(empty body)" : excerpt(body, 0, body.length);
    }

    /** The start of part of a body, for error messages; see {@link #excerpt(byte[])}. */
    public static String excerpt(byte[] body, int offset, int length) {
        if (body == null || length == 0) {
            return "(empty body)";
        }
        String text = new String(body, offset, Math.min(length, EXCERPT_LENGTH * 4), StandardCharsets.UTF_8);
        return shortText(text);
    }

    /**
     * A value as short, single-line text for an error message (at most 200 characters).
     *
     * @param value any value
     * @return its text, shortened
     */
    public static String shortened(Object value) {
        return shortText(value);
    }

    private static String shortText(Object value) {
        String text = String.valueOf(value).replaceAll("\\s+", " ").strip();
        return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "…";
    }
}
