package dev.jgql.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;

/**
 * Inputs for the property tests of the parsers: well-formed GraphQL-over-HTTP and WebSocket
 * messages, the same with one mutation (a cut, an insertion, a replaced character, a field of the
 * wrong type), and random text. What every property then checks is in {@link Outcomes}.
 */
public final class Fuzz {
    /** Messages of both WebSocket protocols, and GraphQL responses, as servers send them. */
    public static final List<String> WELL_FORMED = List.of(
            "{\"type\":\"connection_ack\"}",
            "{\"type\":\"connection_ack\",\"payload\":{\"server\":\"x\"}}",
            "{\"type\":\"next\",\"id\":\"1\",\"payload\":{\"data\":{\"a\":1}}}",
            "{\"type\":\"next\",\"id\":\"2\",\"payload\":{\"data\":{\"countdown\":3}}}",
            "{\"type\":\"next\",\"id\":\"1\",\"payload\":{\"data\":null,\"errors\":[{\"message\":\"boom\","
                    + "\"locations\":[{\"line\":1,\"column\":2}],\"path\":[\"a\",0],\"extensions\":{\"code\":\"X\"}}]}}",
            "{\"type\":\"error\",\"id\":\"1\",\"payload\":[{\"message\":\"bad\"}]}",
            "{\"type\":\"error\",\"id\":\"2\",\"payload\":{\"message\":\"legacy style\"}}",
            "{\"type\":\"complete\",\"id\":\"1\"}",
            "{\"type\":\"complete\",\"id\":\"2\"}",
            "{\"type\":\"ping\"}",
            "{\"type\":\"ping\",\"payload\":{\"t\":1}}",
            "{\"type\":\"pong\"}",
            "{\"type\":\"ka\"}",
            "{\"type\":\"data\",\"id\":\"2\",\"payload\":{\"data\":{\"countdown\":1}}}",
            "{\"type\":\"connection_error\",\"payload\":{\"message\":\"no\"}}",
            "{\"data\":{\"continent\":{\"name\":\"Europe\"}}}",
            "{\"data\":null,\"errors\":[{\"message\":\"not found\",\"path\":[\"continent\"]}],\"extensions\":{}}",
            "{\"errors\":[{\"message\":\"Syntax Error\",\"locations\":[{\"line\":1,\"column\":1}]}]}");

    /** What a value of the wrong kind may look like in place of a string, an object or a list. */
    private static final List<String> ODD_VALUES = List.of("1", "null", "[]", "{}", "\"\"", "true", "-0.5e300",
            "\"\\u0000\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "\"\\ud800\"");

    /** Characters inserted: JSON punctuation, an escape, multi-byte ones and a lone surrogate. */
    private static final List<Character> ODD_CHARACTERS = List.of('{', '}', '[', ']', '"', ':', ',', '\\', ' ', '0',
            'a', '-', '\u00e9', '\u20ac', '\ud83d');

    private Fuzz() {
    }

    /** Well-formed messages, mutated ones (most of them), and random text. */
    public static Arbitrary<String> messages() {
        Arbitrary<String> wellFormed = Arbitraries.of(WELL_FORMED);
        Arbitrary<String> mutated = Combinators.combine(wellFormed, Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 40),
                Arbitraries.of(ODD_CHARACTERS), Arbitraries.of(ODD_VALUES))
                .as(Fuzz::mutate);
        Arbitrary<String> random = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789truefalsnl\\ ").ofMaxLength(60);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, wellFormed),
                net.jqwik.api.Tuple.of(6, mutated),
                net.jqwik.api.Tuple.of(1, random),
                net.jqwik.api.Tuple.of(1, jsonish));
    }

    /**
     * One mutation of {@code text}: 0 cut at a point, 1 delete a run, 2 insert a character, 3
     * replace a character, 4 swap a value for one of another kind, 5 duplicate a run.
     */
    static String mutate(String text, int operation, int position, int length, char character, String oddValue) {
        int at = position % (text.length() + 1);
        int end = Math.min(text.length(), at + length);
        return switch (operation) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + text.substring(end);
            case 2 -> text.substring(0, at) + character + text.substring(at);
            case 3 -> at == text.length() ? text + character : text.substring(0, at) + character + text.substring(at + 1);
            case 4 -> swapValue(text, at, oddValue);
            default -> text.substring(0, end) + text.substring(at);
        };
    }

    /** Replaces the value after the first colon at or after {@code from} (a string, number, object or list start). */
    private static String swapValue(String text, int from, String oddValue) {
        int colon = text.indexOf(':', from);
        if (colon < 0) {
            colon = text.indexOf(':');
        }
        if (colon < 0) {
            return text + oddValue;
        }
        int start = colon + 1;
        int end = start;
        if (end < text.length() && text.charAt(end) == '"') {
            end = text.indexOf('"', end + 1) + 1;
        } else {
            while (end < text.length() && ",}]".indexOf(text.charAt(end)) < 0) {
                end++;
            }
        }
        if (end <= start) {
            end = Math.min(text.length(), start + 1);
        }
        return text.substring(0, start) + oddValue + text.substring(end);
    }
}
