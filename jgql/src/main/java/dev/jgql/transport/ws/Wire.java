package dev.jgql.transport.ws;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.IncrementalMerge;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * The messages of one protocol: how jgql's intentions become JSON text, and how a received text
 * becomes an {@link Incoming} event. Stateless; what is allowed when is the connection's business.
 */
final class Wire {

    /** What a received message means. */
    enum Kind {
        ACK, PING, PONG, KEEP_ALIVE, NEXT, ERROR, COMPLETE, CONNECTION_ERROR, ERROR_WITHOUT_ID
    }

    /**
     * A received message: its kind, operation id (or null), and for NEXT the result and the payload
     * as sent (an incremental payload is merged from it), for ERROR the result carrying the errors,
     * for CONNECTION_ERROR and ERROR_WITHOUT_ID a short description.
     */
    record Incoming(Kind kind, String type, String id, ExecutionResult result, String detail, Map<String, Object> payload) {
        Incoming(Kind kind, String type, String id, ExecutionResult result, String detail) {
            this(kind, type, id, result, detail, null);
        }
    }

    private final WebSocketProtocol protocol;
    private final ObjectMapper mapper;
    private final String where;

    Wire(WebSocketProtocol protocol, ObjectMapper mapper, String where) {
        this.protocol = protocol;
        this.mapper = mapper;
        this.where = where;
    }

    WebSocketProtocol protocol() {
        return protocol;
    }

    // ------------------------------------------------------------------ outgoing

    String connectionInit(Map<String, Object> payload) {
        return write(generator -> {
            generator.writeStringField("type", "connection_init");
            if (payload != null) {
                generator.writeFieldName("payload");
                generator.writeObject(payload);
            }
        });
    }

    String start(String id, GraphQLRequest request) {
        return write(generator -> {
            generator.writeStringField("id", id);
            generator.writeStringField("type", protocol == WebSocketProtocol.GRAPHQL_TRANSPORT_WS ? "subscribe" : "start");
            generator.writeFieldName("payload");
            generator.writeStartObject();
            GraphQLJson.writeRequestFields(generator, request);
            generator.writeEndObject();
        });
    }

    String stop(String id) {
        return write(generator -> {
            generator.writeStringField("id", id);
            generator.writeStringField("type", protocol == WebSocketProtocol.GRAPHQL_TRANSPORT_WS ? "complete" : "stop");
        });
    }

    String ping() {
        return "{\"type\":\"ping\"}";
    }

    String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** The name of the message that starts an operation, for messages. */
    String startType() {
        return protocol == WebSocketProtocol.GRAPHQL_TRANSPORT_WS ? "subscribe" : "start";
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private String write(Body body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            generator.setCodec(mapper);
            generator.writeStartObject();
            body.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new TransportException("Could not serialise a WebSocket message (variables or init payload that "
                    + "Jackson cannot write?): " + e.getMessage(), e);
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ incoming

    /**
     * Parses a received text.
     *
     * @throws TransportProtocolException if it is not a message of this protocol
     */
    Incoming read(MessageAssembler.Message text) {
        Map<String, Object> message = text.parse(mapper, () -> "A WebSocket message from " + where);
        if (!(message.get("type") instanceof String type)) {
            throw violation("a message without a string 'type'", text);
        }
        return protocol == WebSocketProtocol.GRAPHQL_TRANSPORT_WS ? readModern(type, message, text)
                : readLegacy(type, message, text);
    }

    private Incoming readModern(String type, Map<String, Object> message, MessageAssembler.Message text) {
        switch (type) {
            case "connection_ack":
                return new Incoming(Kind.ACK, type, null, null, null);
            case "ping":
                return new Incoming(Kind.PING, type, null, null, null);
            case "pong":
                return new Incoming(Kind.PONG, type, null, null, null);
            case "next":
                return next(message, type, text);
            case "error": {
                String id = id(message, type, text);
                Object payload = message.get("payload");
                if (!(payload instanceof List<?> list) || list.isEmpty()) {
                    throw violation("an 'error' message whose payload is not a non-empty array of errors", text);
                }
                List<GraphQLError> errors = GraphQLJson.toErrors(payload, "The 'error' message from " + where
                        + " for operation " + id);
                return new Incoming(Kind.ERROR, type, id, ExecutionResult.builder().errors(errors).build(), null);
            }
            case "complete":
                return new Incoming(Kind.COMPLETE, type, id(message, type, text), null, null);
            default:
                throw violation("a message of type '" + shorten(type) + "', which graphql-transport-ws does not "
                        + "send to clients", text);
        }
    }

    private Incoming readLegacy(String type, Map<String, Object> message, MessageAssembler.Message text) {
        switch (type) {
            case "connection_ack":
                return new Incoming(Kind.ACK, type, null, null, null);
            case "ka":
                return new Incoming(Kind.KEEP_ALIVE, type, null, null, null);
            case "connection_error":
                return new Incoming(Kind.CONNECTION_ERROR, type, null, null, describe(message.get("payload")));
            case "data":
                return next(message, type, text);
            case "error": {
                Object id = message.get("id");
                Object payload = message.get("payload");
                if (!(id instanceof String operation) || operation.isEmpty()) {
                    return new Incoming(Kind.ERROR_WITHOUT_ID, type, null, null, describe(payload));
                }
                List<GraphQLError> errors;
                if (payload instanceof List<?>) {
                    errors = GraphQLJson.toErrors(payload, "The 'error' message from " + where + " for operation "
                            + operation);
                } else if (payload instanceof Map<?, ?>) {
                    errors = GraphQLJson.toErrors(List.of(payload), "The 'error' message from " + where
                            + " for operation " + operation);
                } else {
                    errors = List.of(new GraphQLError(payload == null ? "(the server gave no message)" : payload.toString(),
                            List.of(), null, null));
                }
                return new Incoming(Kind.ERROR, type, operation, ExecutionResult.builder().errors(errors).build(), null);
            }
            case "complete":
                return new Incoming(Kind.COMPLETE, type, id(message, type, text), null, null);
            default:
                throw violation("a message of type '" + shorten(type) + "', which the graphql-ws protocol does not "
                        + "send to clients", text);
        }
    }

    private String id(Map<String, Object> message, String type, MessageAssembler.Message text) {
        if (message.get("id") instanceof String id && !id.isEmpty()) {
            return id;
        }
        throw violation("a '" + type + "' message without an operation id", text);
    }

    private Incoming next(Map<String, Object> message, String type, MessageAssembler.Message text) {
        String id = id(message, type, text);
        if (message.get("payload") instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) map;
            if (IncrementalMerge.isIncremental(payload)) {
                // a later payload has neither data nor errors: the connection merges it, as it is
                return new Incoming(Kind.NEXT, type, id, null, null, payload);
            }
            return new Incoming(Kind.NEXT, type, id, result(message, type, text), null, payload);
        }
        return new Incoming(Kind.NEXT, type, id, result(message, type, text), null, null); // fails: not an object
    }

    private ExecutionResult result(Map<String, Object> message, String type, MessageAssembler.Message text) {
        if (!(message.get("payload") instanceof Map<?, ?> payload)) {
            throw violation("a '" + type + "' message whose payload is not an object", text);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) payload;
        // The subject is only for an error message: not built for every event of a subscription.
        return GraphQLJson.toResult(json, () -> "The '" + type + "' message from " + where + " for operation "
                + message.get("id")).build();
    }

    private static String describe(Object payload) {
        if (payload instanceof Map<?, ?> map && map.get("message") != null) {
            return shorten(String.valueOf(map.get("message")));
        }
        return payload == null ? "(no details)" : shorten(String.valueOf(payload));
    }

    TransportProtocolException violation(String what, MessageAssembler.Message text) {
        return new TransportProtocolException("The server at " + where + " sent " + what + " (" + protocol.subprotocol()
                + "); received: " + text.excerpt()
                + ". The connection was closed; the server does not speak this protocol as jgql expects");
    }

    private static String shorten(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 120 ? flat : flat.substring(0, 120) + "…";
    }
}
