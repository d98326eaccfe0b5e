package dev.jgql.transport.support;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of the stream parsers: whatever the events or parts, and wherever the bytes are
 * split, the parser hands over exactly what was written.
 */
class ParserFuzzTest {

    record Event(String name, String data) {
    }

    record Chunked(List<Event> events, String lineEnd, List<Integer> cuts) {
    }

    record Parts(String boundary, List<String> bodies, boolean lengths, List<Integer> cuts) {
    }

    @Provide
    Arbitrary<Chunked> sseStreams() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('é', 'Ω', '\u2603')
                .ofMaxLength(40);
        Arbitrary<Event> event = Combinators.combine(Arbitraries.of("next", "complete", "message"),
                text.list().ofMinSize(1).ofMaxSize(3)).as((name, lines) -> new Event(name, String.join("\n", lines)));
        return Combinators.combine(event.list().ofMaxSize(6), Arbitraries.of("\n", "\r", "\r\n"),
                Arbitraries.integers().between(0, 400).list().ofMaxSize(8)).as(Chunked::new);
    }

    @Property(tries = 300)
    void sseEventsSurviveAnySplit(@ForAll("sseStreams") Chunked stream) {
        StringBuilder wire = new StringBuilder(":" + stream.lineEnd() + stream.lineEnd());
        for (Event event : stream.events()) {
            wire.append("event: ").append(event.name()).append(stream.lineEnd());
            for (String line : event.data().split("\n", -1)) {
                wire.append("data: ").append(line).append(stream.lineEnd());
            }
            wire.append(stream.lineEnd());
        }
        List<Event> seen = new ArrayList<>();
        SseEventParser parser = new SseEventParser((name, data) -> seen.add(new Event(name, data)), 1 << 20);
        feed(wire.toString().getBytes(StandardCharsets.UTF_8), stream.cuts(), parser::feed);
        assertThat(seen).isEqualTo(stream.events());
        assertThat(parser.hasPartialEvent()).isFalse();
    }

    @Provide
    Arbitrary<Parts> multipartBodies() {
        Arbitrary<String> body = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', 'é').ofMaxLength(60)
                .map(text -> "{\"v\":\"" + text.replace("\n", "\\n") + "\"}");
        return Combinators.combine(Arbitraries.of("-", "graphql", "b0undary"), body.list().ofMaxSize(5),
                Arbitraries.of(true, false), Arbitraries.integers().between(0, 500).list().ofMaxSize(8)).as(Parts::new);
    }

    @Property(tries = 300)
    void multipartPartsSurviveAnySplit(@ForAll("multipartBodies") Parts parts) {
        StringBuilder wire = new StringBuilder("\r\n");
        for (String body : parts.bodies()) {
            wire.append("--").append(parts.boundary()).append("\r\nContent-Type: application/json\r\n");
            if (parts.lengths()) {
                wire.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
            }
            wire.append("\r\n").append(body).append("\r\n");
        }
        wire.append("--").append(parts.boundary()).append("--\r\n");
        List<String> seen = new ArrayList<>();
        MultipartMixedParser parser = new MultipartMixedParser(parts.boundary(),
                (headers, body) -> seen.add(new String(body, StandardCharsets.UTF_8)), 1 << 20);
        feed(wire.toString().getBytes(StandardCharsets.UTF_8), parts.cuts(), parser::feed);
        assertThat(seen).isEqualTo(parts.bodies());
        assertThat(parser.isClosed()).isTrue();
    }

    private static void feed(byte[] bytes, List<Integer> cuts, java.util.function.Consumer<ByteBuffer> parser) {
        int[] points = cuts.stream().mapToInt(cut -> Math.min(cut, bytes.length)).sorted().toArray();
        int from = 0;
        for (int point : points) {
            parser.accept(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, Math.max(from, point))));
            from = Math.max(from, point);
        }
        parser.accept(ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, bytes.length)));
    }
}
