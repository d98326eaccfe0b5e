package dev.jgql.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON for people (indented, optionally coloured like jq) or for scripts (one compact line).
 * Strings keep their Unicode characters and escape only what JSON requires.
 */
final class JsonPrinter {
    private static final String KEY = "\u001b[1;34m";
    private static final String STRING = "\u001b[32m";
    private static final String NUMBER = "\u001b[36m";
    private static final String BOOLEAN = "\u001b[33m";
    private static final String NULL = "\u001b[90m";
    private static final String RESET = "\u001b[0m";

    private final ObjectMapper mapper;
    private final boolean pretty;
    private final boolean color;

    JsonPrinter(ObjectMapper mapper, boolean pretty, boolean color) {
        this.mapper = mapper;
        this.pretty = pretty;
        this.color = color;
    }

    /** The same colours, on one line: a subscription's events are one JSON line each. */
    JsonPrinter compact() {
        return new JsonPrinter(mapper, false, color);
    }

    /** The value (maps, lists, strings, numbers, booleans, null) as JSON text, without a final newline. */
    String format(Object value) {
        StringBuilder text = new StringBuilder();
        write(mapper.valueToTree(value), text, 0);
        return text.toString();
    }

    private void write(JsonNode node, StringBuilder text, int depth) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            paint(text, NULL, "null");
        } else if (node.isObject()) {
            writeObject(node, text, depth);
        } else if (node.isArray()) {
            writeArray(node, text, depth);
        } else if (node.isTextual()) {
            paint(text, STRING, quote(node.textValue()));
        } else if (node.isNumber()) {
            paint(text, NUMBER, node.asText());
        } else if (node.isBoolean()) {
            paint(text, BOOLEAN, node.asText());
        } else {
            paint(text, STRING, quote(node.asText())); // binary or POJO nodes: not produced from parsed JSON
        }
    }

    private void writeObject(JsonNode node, StringBuilder text, int depth) {
        if (node.isEmpty()) {
            text.append("{}");
            return;
        }
        text.append('{');
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            newline(text, depth + 1);
            paint(text, KEY, quote(field.getKey()));
            text.append(pretty ? ": " : ":");
            write(field.getValue(), text, depth + 1);
            if (fields.hasNext()) {
                text.append(',');
            }
        }
        newline(text, depth);
        text.append('}');
    }

    private void writeArray(JsonNode node, StringBuilder text, int depth) {
        if (node.isEmpty()) {
            text.append("[]");
            return;
        }
        text.append('[');
        for (int i = 0; i < node.size(); i++) {
            newline(text, depth + 1);
            write(node.get(i), text, depth + 1);
            if (i < node.size() - 1) {
                text.append(',');
            }
        }
        newline(text, depth);
        text.append(']');
    }

    private void newline(StringBuilder text, int depth) {
        if (pretty) {
            text.append('\n').append("  ".repeat(depth));
        }
    }

    private void paint(StringBuilder text, String colour, String token) {
        if (color) {
            text.append(colour).append(token).append(RESET);
        } else {
            text.append(token);
        }
    }

    private static String quote(String value) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"';
    }
}
