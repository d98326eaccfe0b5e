package dev.jgql.transport.support;

import dev.jgql.TransportProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental parser of a {@code text/event-stream} body (the WHATWG server-sent events rules),
 * for transports: fed byte chunks as they arrive, split anywhere (inside a line, between CR and
 * LF, inside a UTF-8 sequence), it hands each complete event to its {@link Listener}. Lines end
 * with LF, CR or CRLF; one optional space after the colon is stripped; several {@code data:}
 * lines are joined with {@code \n}; a line starting with {@code :} is a comment (a keep-alive);
 * {@code id:} and {@code retry:} are read and ignored (graphql-sse has its own retry rules).
 *
 * <pre>{@code
 * SseEventParser parser = new SseEventParser((event, data) -> handle(event, data), 16 * 1024 * 1024);
 * parser.feed(ByteBuffer.wrap("event: next\ndata: {\"data\":{}}\n\n".getBytes(UTF_8)));
 * }</pre>
 *
 * <p>Not thread-safe: one parser per stream, fed serially.
 */
public final class SseEventParser {

    /** Receives what the stream carries. */
    @FunctionalInterface
    public interface Listener {
        /**
         * A complete event.
         *
         * @param event its name ({@code message} when the event has no {@code event:} line)
         * @param data  its data lines joined with {@code \n}; empty for {@code data:} with nothing after it
         */
        void onEvent(String event, String data);

        /** A comment line (a keep-alive), without its colon. Default: ignored. */
        default void onComment(String comment) {
        }
    }

    private final Listener listener;
    private final int maxEventSize;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean afterCarriageReturn;
    private String eventName;
    private StringBuilder data;
    private int eventSize;

    /**
     * @param listener     receives the events, on the thread that calls {@link #feed}
     * @param maxEventSize the largest event (its lines together, in bytes) accepted; a larger one
     *                     fails {@link #feed} with {@link TransportProtocolException}
     */
    public SseEventParser(Listener listener, int maxEventSize) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxEventSize < 1) {
            throw new IllegalArgumentException("maxEventSize must be positive: " + maxEventSize);
        }
        this.maxEventSize = maxEventSize;
    }

    /**
     * Parses a chunk, dispatching every event it completes.
     *
     * @throws TransportProtocolException if an event grows beyond the size limit
     */
    public void feed(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (b == '\n') {
                    continue; // the LF of a CRLF
                }
            }
            if (b == '\r') {
                afterCarriageReturn = true;
                endOfLine();
            } else if (b == '\n') {
                endOfLine();
            } else {
                append(b);
            }
        }
    }

    /** Whether a partial event (or line) waits for more bytes: at the end of a body, it was cut off. */
    public boolean hasPartialEvent() {
        return lineLength > 0 || data != null || eventName != null;
    }

    private void append(byte b) {
        if (++eventSize > maxEventSize) {
            throw new TransportProtocolException("A server-sent event is larger than " + maxEventSize
                    + " bytes (maxMessageSize); the stream was abandoned");
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void endOfLine() {
        // Decoded only now, at an ASCII line break, so a UTF-8 sequence split across chunks stays whole.
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (line.length > 64 * 1024) {
            line = new byte[256]; // do not keep one huge event's buffer for the rest of the stream
        }
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            if (data == null && eventName == null) {
                eventSize = 0; // keep-alives between events do not add up to an event
            }
            listener.onComment(text.substring(1));
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (!value.isEmpty() && value.charAt(0) == ' ') {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventName = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // id, retry and unknown fields: nothing graphql-sse needs
            }
        }
    }

    private void dispatch() {
        String name = eventName;
        StringBuilder body = data;
        eventName = null;
        data = null;
        eventSize = 0;
        if (name == null && body == null) {
            return; // a blank line after a comment, or several blank lines
        }
        listener.onEvent(name == null || name.isEmpty() ? "message" : name, body == null ? "" : body.toString());
    }
}
