package dev.jgql.transport.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;

import java.time.Duration;
import java.util.Map;

/** Scripts for {@link ScriptedWebSocketServer}: a well-behaved start that the tests then break. */
final class Scripts {
    static final String TRANSPORT_WS = "graphql-transport-ws";
    static final String LEGACY_WS = "graphql-ws";
    static final String ACK = "{\"type\":\"connection_ack\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Scripts() {
    }

    /** A server that selects {@code graphql-transport-ws}, acks every init and answers pings. */
    static ScriptedWebSocketServer.Builder acking() {
        return ScriptedWebSocketServer.builder()
                .subprotocols(TRANSPORT_WS, LEGACY_WS)
                .onMessage((connection, text) -> {
                    String type = type(text);
                    if (type.equals("connection_init")) {
                        connection.sendText(ACK);
                    } else if (type.equals("ping")) {
                        connection.sendText("{\"type\":\"pong\"}");
                    }
                });
    }

    static Map<String, Object> parse(String text) {
        try {
            return JSON.readValue(text, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + text, e);
        }
    }

    static String type(String text) {
        return String.valueOf(parse(text).get("type"));
    }

    static String id(String text) {
        return String.valueOf(parse(text).get("id"));
    }

    /** Waits for the client's next message of this type and returns it. */
    static String awaitType(ScriptedWebSocketConnection connection, String type, Duration timeout) {
        return connection.awaitMessage(text -> type.equals(type(text)), timeout);
    }

    static String next(String id, String payloadJson) {
        return "{\"type\":\"next\",\"id\":\"" + id + "\",\"payload\":" + payloadJson + "}";
    }

    static String complete(String id) {
        return "{\"type\":\"complete\",\"id\":\"" + id + "\"}";
    }

    /**
     * A legacy (graphql-ws) server: a socket on which it did not select {@code graphql-ws} is closed
     * with 4406 at {@code connection_init}; otherwise it acks (then {@code ka}), answers
     * {@code counter} queries with 1 and streams countdowns of three events.
     */
    static void legacyOnly(ScriptedWebSocketConnection connection, String text) {
        String type = type(text);
        if (!connection.selectedSubprotocol().orElse("").equals(LEGACY_WS)) {
            if (type.equals("connection_init")) {
                connection.close(4406, "Subprotocol not acceptable");
            }
            return;
        }
        switch (type) {
            case "connection_init" -> {
                connection.sendText(ACK);
                connection.sendText("{\"type\":\"ka\"}");
            }
            case "start" -> {
                String id = id(text);
                if (text.contains("countdown")) {
                    for (int i = 3; i >= 1; i--) {
                        connection.sendText("{\"type\":\"data\",\"id\":\"" + id + "\",\"payload\":{\"data\":{\"countdown\":"
                                + i + "}}}");
                    }
                } else {
                    connection.sendText("{\"type\":\"data\",\"id\":\"" + id + "\",\"payload\":{\"data\":{\"counter\":1}}}");
                    connection.sendText("{\"type\":\"complete\",\"id\":\"" + id + "\",\"payload\":null}");
                }
            }
            default -> {
                // stop, connection_terminate: nothing to answer
            }
        }
    }
}
