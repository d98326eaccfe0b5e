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

class SseEventParserTest {

    private final List<String> seen = new ArrayList<>();
    private final SseEventParser parser = new SseEventParser(new SseEventParser.Listener() {
        @Override
        public void onEvent(String event, String data) {
            seen.add(event + "=" + data);
        }

        @Override
        public void onComment(String comment) {
            seen.add("#" + comment);
        }
    }, 1024);

    private void feed(String text) {
        parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsGraphqlSseAndSpringSpellings() {
        feed(":\n\nevent: next\ndata: {\"data\":{\"a\":1}}\n\nevent:next\ndata:{\"data\":{\"a\":2}}\n\n"
                + "event: complete\ndata:\n\n");
        assertThat(seen).containsExactly("#", "next={\"data\":{\"a\":1}}", "next={\"data\":{\"a\":2}}", "complete=");
    }

    @Test
    void acceptsCrLfCrAndLfLineEndingsAndJoinsDataLines() {
        feed("event: next\r\ndata: a\r\ndata: b\r\n\r\nevent: x\rdata:  two spaces\r\rdata: c\n\n");
        assertThat(seen).containsExactly("next=a\nb", "x= two spaces", "message=c");
    }

    @Test
    void ignoresIdRetryAndUnknownFieldsAndBlankLinesAlone() {
        feed("\n\nid: 7\nretry: 100\nfoo: bar\nevent: next\ndata: x\n\n\n");
        assertThat(seen).containsExactly("next=x");
    }

    @Test
    void sameEventsWhateverTheSplitOfTheBytes() {
        byte[] bytes = ("event: next\r\ndata: {\"name\":\"Ελλάδα 🇬🇷\"}\r\n\r\n:keep\r\n\r\nevent: complete\r\ndata:\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("next={\"name\":\"Ελλάδα 🇬🇷\"}", "#keep", "complete=");
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second += 7) {
                seen.clear();
                SseEventParser fresh = new SseEventParser(new SseEventParser.Listener() {
                    @Override
                    public void onEvent(String event, String data) {
                        seen.add(event + "=" + data);
                    }

                    @Override
                    public void onComment(String comment) {
                        seen.add("#" + comment);
                    }
                }, 1024);
                fresh.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, 0, first)));
                fresh.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, first, second)));
                fresh.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, second, bytes.length)));
                assertThat(seen).as("split at %d and %d", first, second).isEqualTo(expected);
                assertThat(fresh.hasPartialEvent()).isFalse();
            }
        }
    }

    @Test
    void saysWhenAnEventWasCutOff() {
        feed("event: next\ndata: {\"da");
        assertThat(seen).isEmpty();
        assertThat(parser.hasPartialEvent()).isTrue();
    }

    @Test
    void refusesAnEventLargerThanTheLimitButNotManyKeepAlives() {
        for (int i = 0; i < 200; i++) {
            feed(":keep-alive comment\n\n");
        }
        assertThat(seen).hasSize(200);
        assertThatThrownBy(() -> feed("event: next\ndata: " + "x".repeat(2000) + "\n\n"))
                .isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("larger than 1024 bytes");
    }
}
