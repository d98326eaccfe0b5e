package dev.jgql.transport.support;

import dev.jgql.TransportProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartMixedParserTest {

    /** Yoga's shape: boundary "-", Content-Length per part, the delimiter before each part. */
    private static final String YOGA = "\r\n---\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 11\r\n\r\n"
            + "{\"data\":1}\n\r\n---\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 15\r\n\r\n"
            + "{\"hasNext\":false}".substring(0, 15) + "\r\n-----\r\n";
    /** Apollo's shape: lower-case headers, no length, each part followed by its delimiter at once, a preamble. */
    private static final String APOLLO = "preamble to ignore\r\n--graphql\r\ncontent-type: application/json\r\n\r\n{}\r\n--graphql"
            + "\r\ncontent-type: application/json\r\n\r\n{\"payload\":{\"data\":{\"n\":\"é--graphql\"}}}\r\n--graphql--\r\nepilogue";

    private final List<String> parts = new ArrayList<>();

    private MultipartMixedParser parser(String boundary) {
        return new MultipartMixedParser(boundary, (headers, body) -> parts.add(
                headers.getOrDefault("content-type", "?") + "|" + new String(body, StandardCharsets.UTF_8)), 4096);
    }

    @Test
    void readsTheBoundaryFromTheContentType() {
        assertThat(MultipartMixedParser.boundary("multipart/mixed; boundary=\"-\"; deferSpec=20220824")).isEqualTo("-");
        assertThat(MultipartMixedParser.boundary("multipart/mixed;boundary=graphql;subscriptionSpec=1.0")).isEqualTo("graphql");
        assertThat(MultipartMixedParser.boundary("multipart/mixed")).isNull();
    }

    @Test
    void sameApolloPartsWhateverTheSplit() {
        byte[] bytes = APOLLO.getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("application/json|{}", "application/json|{\"payload\":{\"data\":{\"n\":\"é--graphql\"}}}");
        everySplit(bytes, "graphql", expected);
    }

    @Test
    void sameYogaPartsWhateverTheSplit() {
        byte[] bytes = YOGA.getBytes(StandardCharsets.UTF_8);
        everySplit(bytes, "-", List.of("application/json; charset=utf-8|{\"data\":1}\n",
                "application/json; charset=utf-8|{\"hasNext\":fals"));
    }

    private void everySplit(byte[] bytes, String boundary, List<String> expected) {
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second += 5) {
                parts.clear();
                MultipartMixedParser parser = parser(boundary);
                parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, 0, first)));
                parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, first, second)));
                parser.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, second, bytes.length)));
                assertThat(parts).as("split at %d and %d", first, second).isEqualTo(expected);
                assertThat(parser.isClosed()).isTrue();
            }
        }
    }

    @Test
    void aPartWithALengthIsDeliveredBeforeTheNextDelimiterArrives() {
        MultipartMixedParser parser = parser("-");
        parser.feed(ByteBuffer.wrap("\r\n---\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(parts).containsExactly("?|{}");
        assertThat(parser.isClosed()).isFalse();
    }

    @Test
    void aLastPartWithoutDelimiterIsDeliveredAtTheEndOfInput() {
        MultipartMixedParser parser = parser("-");
        parser.feed(ByteBuffer.wrap("\r\n---\r\n\r\n{\"hasNext\":false}\r\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(parts).isEmpty();
        assertThat(parser.endOfInput()).isTrue();
        assertThat(parts).containsExactly("?|{\"hasNext\":false}");
        assertThat(parser.hasPartialPart()).isFalse();
        assertThat(parser.endOfInput()).isFalse();
    }

    @Test
    void aBodyCutOffIsVisible() {
        MultipartMixedParser parser = parser("-");
        parser.feed(ByteBuffer.wrap("\r\n---\r\n\r\n{\"data\"".getBytes(StandardCharsets.UTF_8)));
        assertThat(parts).isEmpty();
        assertThat(parser.hasPartialPart()).isTrue();
        assertThat(parser.isClosed()).isFalse();
    }

    @Test
    void refusesPartsLargerThanTheLimitAndMalformedHeaders() {
        MultipartMixedParser big = parser("-");
        assertThatThrownBy(() -> big.feed(ByteBuffer.wrap(("\r\n---\r\n\r\n" + "x".repeat(200_000))
                .getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("larger than 4096");
        MultipartMixedParser declared = parser("-");
        assertThatThrownBy(() -> declared.feed(ByteBuffer.wrap("\r\n---\r\nContent-Length: 99999\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("99999");
        MultipartMixedParser malformed = parser("-");
        assertThatThrownBy(() -> malformed.feed(ByteBuffer.wrap("\r\n---\r\nno colon here\r\n\r\n{}"
                .getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("no colon here");
    }
}
