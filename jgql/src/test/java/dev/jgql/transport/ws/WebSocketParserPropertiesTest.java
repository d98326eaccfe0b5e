package dev.jgql.transport.ws;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.TransportProtocolException;
import dev.jgql.fuzz.Fuzz;
import dev.jgql.fuzz.Outcomes;
import dev.jgql.transport.support.GraphQLJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property tests of the WebSocket parsers, in memory: {@link MessageAssembler} joins any
 * fragmentation of a message, as characters or as UTF-8 bytes cut anywhere (even inside a
 * character), into the same message; it refuses a message over the limit and is whole again for the
 * next; and {@link Wire} reads any text, of either protocol, into a message or a
 * {@link TransportProtocolException}, nothing else. The end-to-end property over a real socket is
 * in {@link WebSocketProtocolPropertiesTest}.
 */
class WebSocketParserPropertiesTest {
    private static final ObjectMapper MAPPER = GraphQLJson.defaultMapper();
    private static final int LIMIT = 4096;

    @Provide
    Arbitrary<String> messages() {
        return Fuzz.messages();
    }

    @Provide
    Arbitrary<String> wellFormed() {
        return Arbitraries.of(Fuzz.WELL_FORMED);
    }

    @Property(tries = 300)
    void anyFragmentationIsJoinedIntoTheWholeMessage(@ForAll("wellFormed") String json,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 400) Integer> cuts, @ForAll boolean asBytes)
            throws Exception {
        MessageAssembler assembler = new MessageAssembler(LIMIT);
        Map<String, Object> expected = MAPPER.readValue(json, new TypeReference<>() { });
        for (int round = 0; round < 2; round++) { // the reused buffers give the second message whole too
            MessageAssembler.Message whole = feed(assembler, json, cuts, asBytes);
            assertThat(whole).isNotNull();
            assertThat(whole.parse(MAPPER, () -> "a fragmented message")).isEqualTo(expected);
            assembler.done();
        }
    }

    @Property(tries = 500)
    void anyTextIsAMessageOrAProtocolViolation(@ForAll("messages") String text, @ForAll WebSocketProtocol protocol,
            @ForAll boolean asBytes) throws Exception {
        Wire wire = new Wire(protocol, MAPPER, "ws://fuzz/graphql");
        MessageAssembler assembler = new MessageAssembler(LIMIT);
        MessageAssembler.Message message = feed(assembler, text, List.of(), asBytes);
        if (message == null) {
            fail("a message within the limit is always handed out");
        }
        try {
            Wire.Incoming incoming = wire.read(message);
            assertThat(incoming.kind()).isNotNull();
            switch (incoming.kind()) {
                case NEXT, ERROR -> {
                    assertThat(incoming.id()).as("an operation message names its operation").isNotNull();
                    assertThat(incoming.result()).isNotNull();
                }
                case COMPLETE -> assertThat(incoming.id()).isNotNull();
                default -> assertThat(incoming.type()).isNotNull();
            }
        } catch (TransportProtocolException violation) {
            Outcomes.assertJgqlOwn(violation);
            assertThat(violation.getMessage()).as("the message says where").contains("ws://fuzz/graphql");
        } catch (RuntimeException other) {
            fail("Only a TransportProtocolException may escape the parser, got " + other, other);
        } finally {
            assembler.done();
        }
    }

    @Property(tries = 100)
    void aMessageOverTheLimitIsRefusedOnceAndTheNextOneIsWhole(@ForAll @IntRange(min = LIMIT + 1, max = 3 * LIMIT) int size,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 3 * LIMIT) Integer> cuts, @ForAll boolean asBytes)
            throws Exception {
        MessageAssembler assembler = new MessageAssembler(LIMIT);
        String big = "{\"type\":\"next\",\"id\":\"1\",\"payload\":{\"data\":{\"a\":\"" + "x".repeat(size) + "\"}}}";
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        List<int[]> pieces = pieces(big.length(), cuts);
        int refusals = 0;
        for (int i = 0; i < pieces.size(); i++) {
            int[] piece = pieces.get(i);
            boolean last = i == pieces.size() - 1;
            try {
                MessageAssembler.Message handed = asBytes
                        ? assembler.onBytes(ByteBuffer.wrap(bytes, piece[0], piece[1] - piece[0]), last)
                        : assembler.onChars(big.substring(piece[0], piece[1]), last);
                assertThat(handed).as("no part of a message over the limit is handed out").isNull();
            } catch (MessageAssembler.TooBig refused) {
                refusals++;
            }
        }
        assertThat(refusals).as("refused once, its other fragments skipped").isEqualTo(1);
        String next = Fuzz.WELL_FORMED.get(2);
        MessageAssembler.Message whole = feed(assembler, next, cuts, asBytes);
        assertThat(whole.parse(MAPPER, () -> "the message after a big one"))
                .isEqualTo(MAPPER.readValue(next, new TypeReference<Map<String, Object>>() { }));
    }

    /** Feeds {@code text} cut at {@code cuts} (positions in chars, or in UTF-8 bytes), returns what the last fragment gave. */
    private static MessageAssembler.Message feed(MessageAssembler assembler, String text, List<Integer> cuts, boolean asBytes)
            throws MessageAssembler.TooBig {
        if (asBytes) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            List<int[]> pieces = pieces(bytes.length, cuts);
            MessageAssembler.Message last = null;
            for (int i = 0; i < pieces.size(); i++) {
                int[] piece = pieces.get(i);
                last = assembler.onBytes(ByteBuffer.wrap(bytes, piece[0], piece[1] - piece[0]), i == pieces.size() - 1);
            }
            return last;
        }
        List<int[]> pieces = pieces(text.length(), cuts);
        MessageAssembler.Message last = null;
        for (int i = 0; i < pieces.size(); i++) {
            int[] piece = pieces.get(i);
            CharSequence fragment = i % 2 == 0 ? CharBuffer.wrap(text, piece[0], piece[1])
                    : text.substring(piece[0], piece[1]); // engines hand buffers or strings
            last = assembler.onChars(fragment, i == pieces.size() - 1);
        }
        return last;
    }

    /** [start, end) ranges covering {@code length}, cut at the given positions (those inside it). */
    private static List<int[]> pieces(int length, List<Integer> cuts) {
        TreeSet<Integer> points = new TreeSet<>();
        for (int cut : cuts) {
            if (cut > 0 && cut < length) {
                points.add(cut);
            }
        }
        List<int[]> pieces = new ArrayList<>();
        int start = 0;
        for (int point : points) {
            pieces.add(new int[] {start, point});
            start = point;
        }
        pieces.add(new int[] {start, length});
        return pieces;
    }
}
