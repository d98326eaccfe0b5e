package dev.jgql.transport.support;

import dev.jgql.TransportProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An incremental parser of a {@code multipart/mixed} body (incremental delivery of
 * {@code @defer}/{@code @stream}, Apollo's multipart subscriptions), for transports: fed byte
 * chunks split anywhere, it hands each complete part to its {@link Listener}. It tolerates a
 * preamble before the first delimiter and an epilogue after the closing one, reads part header
 * names case-insensitively, and ends a part at its {@code Content-Length} when it has one (so a
 * part is delivered as soon as it is complete, not when the next delimiter arrives), otherwise at
 * the next delimiter.
 *
 * <pre>{@code
 * String boundary = MultipartMixedParser.boundary(response.headers().firstValue("Content-Type").orElse(""));
 * MultipartMixedParser parser = new MultipartMixedParser(boundary, (headers, body) -> handle(body), 16 << 20);
 * chunks.forEach(parser::feed);
 * boolean whole = parser.isClosed();   // the closing delimiter arrived
 * }</pre>
 *
 * <p>Not thread-safe: one parser per body, fed serially.
 */
public final class MultipartMixedParser {

    /** Receives the parts. */
    @FunctionalInterface
    public interface Listener {
        /**
         * A complete part.
         *
         * @param headers its headers; names compare case-insensitively
         * @param body    its body, without the line break that precedes the next delimiter
         */
        void onPart(Map<String, String> headers, byte[] body);
    }

    private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, BODY, EPILOGUE }

    private final byte[] dashBoundary;
    private final Listener listener;
    private final int maxPartSize;
    private byte[] buffer = new byte[1024];
    private int start;
    private int end;
    /** Where the search for the next delimiter in a body resumes: what lies before was searched already. */
    private int scanned;
    private State state = State.PREAMBLE;
    private Map<String, String> partHeaders;
    private long contentLength = -1;

    /**
     * @param boundary    the boundary from the response's {@code Content-Type} (see {@link #boundary})
     * @param listener    receives the parts, on the thread that calls {@link #feed}
     * @param maxPartSize the largest part accepted, in bytes; a larger one fails {@link #feed}
     */
    public MultipartMixedParser(String boundary, Listener listener, int maxPartSize) {
        if (boundary == null || boundary.isEmpty()) {
            throw new IllegalArgumentException("A multipart boundary is needed");
        }
        this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxPartSize = maxPartSize;
    }

    /**
     * The {@code boundary} parameter of a {@code Content-Type} value, unquoted, or {@code null} when
     * there is none.
     *
     * <pre>{@code
     * MultipartMixedParser.boundary("multipart/mixed; boundary=\"-\"; deferSpec=20220824")   // "-"
     * }</pre>
     */
    public static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** Whether the closing delimiter has arrived: the body is complete. */
    public boolean isClosed() {
        return state == State.EPILOGUE;
    }

    /** Whether a part has begun and not ended: at the end of a body, it was cut off. */
    public boolean hasPartialPart() {
        return state == State.HEADERS || state == State.BODY;
    }

    /**
     * The body ended: a last part that had begun without a {@code Content-Length} and was waiting
     * for its delimiter is delivered as it is (servers that omit the closing delimiter end their
     * last part with the connection). Other partial parts stay partial ({@link #hasPartialPart}).
     *
     * @return whether a part was delivered
     */
    public boolean endOfInput() {
        if (state != State.BODY || contentLength >= 0) {
            return false;
        }
        int bodyEnd = end;
        while (bodyEnd > start && (buffer[bodyEnd - 1] == '\n' || buffer[bodyEnd - 1] == '\r')) {
            bodyEnd--;
        }
        if (bodyEnd == start) {
            return false;
        }
        byte[] body = Arrays.copyOfRange(buffer, start, bodyEnd);
        start = end;
        state = State.PREAMBLE;
        listener.onPart(Collections.unmodifiableMap(partHeaders), body);
        return true;
    }

    /**
     * Parses a chunk, delivering every part it completes.
     *
     * @throws TransportProtocolException if a part is larger than the limit or its headers are malformed
     */
    public void feed(ByteBuffer chunk) {
        if (state == State.EPILOGUE) {
            return; // the epilogue is ignored
        }
        int length = chunk.remaining();
        if (end + length > buffer.length) {
            compact(length);
        }
        chunk.get(buffer, end, length);
        end += length;
        while (step()) {
            // each step consumes what it can
        }
    }

    private void compact(int incoming) {
        int live = end - start;
        if (live + incoming > (long) maxPartSize + 64 * 1024 && state == State.BODY) {
            throw new TransportProtocolException("A multipart part is larger than " + maxPartSize
                    + " bytes (maxResponseSize); the response was abandoned");
        }
        byte[] target = live + incoming <= buffer.length ? buffer : new byte[Math.max(buffer.length * 2, live + incoming)];
        System.arraycopy(buffer, start, target, 0, live);
        scanned -= start;
        buffer = target;
        start = 0;
        end = live;
    }

    /** One move of the state machine; false when it needs more bytes. */
    private boolean step() {
        switch (state) {
            case PREAMBLE -> {
                // A delimiter starts a line: at the very start of the body, or after a line feed.
                int at = find(dashBoundary, Math.max(start, scanned));
                while (at >= 0 && at != start && buffer[at - 1] != '\n') {
                    at = find(dashBoundary, at + 1);
                }
                if (at < 0) {
                    scanned = Math.max(start, end - dashBoundary.length);
                    return false;
                }
                start = at + dashBoundary.length;
                scanned = start;
                state = State.AFTER_DELIMITER;
                return true;
            }
            case AFTER_DELIMITER -> {
                if (end - start < 2) {
                    return false;
                }
                if (buffer[start] == '-' && buffer[start + 1] == '-') {
                    state = State.EPILOGUE;
                    start = end;
                    return false;
                }
                int lineEnd = indexOf((byte) '\n', start);
                if (lineEnd < 0) {
                    return false; // transport padding, then the line break
                }
                start = lineEnd + 1;
                partHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                contentLength = -1;
                state = State.HEADERS;
                return true;
            }
            case HEADERS -> {
                int lineEnd = indexOf((byte) '\n', start);
                if (lineEnd < 0) {
                    if (end - start > 64 * 1024) {
                        throw new TransportProtocolException("A multipart part's header line is longer than 64 KiB");
                    }
                    return false;
                }
                String line = new String(buffer, start, lineEnd - start, StandardCharsets.UTF_8).strip();
                start = lineEnd + 1;
                if (line.isEmpty()) {
                    String declared = partHeaders.get("Content-Length");
                    if (declared != null) {
                        try {
                            contentLength = Long.parseLong(declared.trim());
                        } catch (NumberFormatException e) {
                            throw new TransportProtocolException("A multipart part has a malformed Content-Length: "
                                    + declared);
                        }
                    }
                    if (contentLength > maxPartSize) {
                        throw new TransportProtocolException("A multipart part declares " + contentLength
                                + " bytes, more than " + maxPartSize + " (maxResponseSize); the response was abandoned");
                    }
                    scanned = start;
                    state = State.BODY;
                    return true;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new TransportProtocolException("A multipart part has a malformed header line: " + line);
                }
                partHeaders.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                return true;
            }
            case BODY -> {
                int bodyEnd;
                if (contentLength >= 0) {
                    if (end - start < contentLength) {
                        return false;
                    }
                    bodyEnd = start + (int) contentLength;
                } else {
                    int at = findDelimiterLine(Math.max(start, scanned));
                    if (at < 0) {
                        scanned = Math.max(start, end - dashBoundary.length - 1);
                        if (end - start > maxPartSize) {
                            throw new TransportProtocolException("A multipart part is larger than " + maxPartSize
                                    + " bytes (maxResponseSize); the response was abandoned");
                        }
                        return false;
                    }
                    // The line break before the delimiter belongs to the delimiter, not to the body.
                    bodyEnd = at > start && buffer[at - 1] == '\r' ? at - 1 : at;
                    bodyEnd = Math.max(start, bodyEnd);
                }
                byte[] body = Arrays.copyOfRange(buffer, start, bodyEnd);
                Map<String, String> headers = Collections.unmodifiableMap(partHeaders);
                start = bodyEnd;
                scanned = start;
                state = State.PREAMBLE;
                listener.onPart(headers, body);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** The index of a line feed followed by the dash-boundary, from {@code from}; -1 if none yet. */
    private int findDelimiterLine(int from) {
        int at = from;
        while (true) {
            int lf = indexOf((byte) '\n', at);
            if (lf < 0 || end - (lf + 1) < dashBoundary.length) {
                return -1;
            }
            if (matches(dashBoundary, lf + 1)) {
                return lf;
            }
            at = lf + 1;
        }
    }

    private int indexOf(byte wanted, int from) {
        for (int i = from; i < end; i++) {
            if (buffer[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private int find(byte[] pattern, int from) {
        for (int i = from; i <= end - pattern.length; i++) {
            if (matches(pattern, i)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(byte[] pattern, int at) {
        for (int j = 0; j < pattern.length; j++) {
            if (buffer[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "MultipartMixedParser{" + new String(dashBoundary, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
                + ", " + state + '}';
    }
}
