package dev.jgql.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One client connection to a {@link ScriptedWebSocketServer}: what the client offered and sent,
 * and the means to answer it in any way, well-formed or not.
 *
 * <pre>{@code
 * ScriptedWebSocketConnection connection = server.awaitConnection(Duration.ofSeconds(5));
 * assertThat(connection.offeredSubprotocols()).containsExactly("graphql-transport-ws");
 * String init = connection.nextMessage(Duration.ofSeconds(5));
 * connection.sendText("{\"type\":\"connection_ack\"}");
 * connection.sendTextFragments("{\"type\":\"ne", "xt\",\"id\":\"1\",\"payload\":{\"data\":{}}}");
 * connection.answerPings(false);      // from now on the client's pings go unanswered
 * }</pre>
 *
 * <p>Thread-safe. Sends return {@code false} instead of failing when the socket is already
 * closed, because a test usually sends to see what the client does, and the client may have
 * closed first.
 */
public final class ScriptedWebSocketConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptedWebSocketConnection.class);
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_CLIENT_MESSAGE = 64 * 1024 * 1024;

    /** A close frame: its status code and reason. Code 1005 means the frame had none; 1006 means no frame came. */
    public record CloseFrame(int code, String reason) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Map<String, List<String>> headers;
    private final List<String> offered;
    private final String selected;
    private final boolean refused;
    private final BiConsumer<ScriptedWebSocketConnection, String> onMessage;
    private final Thread reader;

    private final List<String> messages = new ArrayList<>();
    private int cursor;
    private int pings;
    private boolean silent;
    private boolean paused;
    private boolean answerPings;
    private boolean closeSent;
    private CloseFrame closeFromClient;
    private boolean closed;

    ScriptedWebSocketConnection(Socket socket, InputStream in, Map<String, List<String>> headers, List<String> offered,
            String selected, boolean refused, boolean answerPings, BiConsumer<ScriptedWebSocketConnection, String> onMessage,
            Thread reader) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.headers = headers;
        this.offered = offered;
        this.selected = selected;
        this.refused = refused;
        this.answerPings = answerPings;
        this.onMessage = onMessage;
        this.reader = reader;
    }

    Thread reader() {
        return reader;
    }

    /** The subprotocols the client offered, in its order; empty if it offered none. */
    public List<String> offeredSubprotocols() {
        return offered;
    }

    /** The subprotocol the server selected in its answer; empty if it sent none (or refused). */
    public Optional<String> selectedSubprotocol() {
        return Optional.ofNullable(selected);
    }

    /** Whether the server refused this handshake ({@link ScriptedWebSocketServer.Builder#refuseHandshake}). */
    public boolean isRefused() {
        return refused;
    }

    /** The values of a request header of the opening handshake (name case-insensitive); empty if absent. */
    public List<String> requestHeader(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    // ---------------------------------------------------------------- sending

    /** Sends one text message in one frame. */
    public boolean sendText(String text) {
        return sendFrame(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one text message split into frames, one per part: a text frame followed by
     * continuation frames, the last one final.
     */
    public boolean sendTextFragments(String... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("At least one part");
        }
        synchronized (out) {
            for (int i = 0; i < parts.length; i++) {
                if (!sendFrame(i == parts.length - 1, i == 0 ? 0x1 : 0x0, parts[i].getBytes(StandardCharsets.UTF_8))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Sends one binary message. */
    public boolean sendBinary(byte[] data) {
        return sendFrame(true, 0x2, data);
    }

    /** Sends a ping frame (at most 125 bytes of payload). */
    public boolean sendPing(byte[] payload) {
        return sendFrame(true, 0x9, payload);
    }

    /**
     * Sends any frame, e.g. a reserved opcode or a non-final frame, unmasked as servers send.
     *
     * @param fin    whether the frame is the last of its message
     * @param opcode the 4-bit opcode
     */
    public boolean sendFrame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
        frame.write((fin ? 0x80 : 0) | (opcode & 0x0F));
        if (payload.length < 126) {
            frame.write(payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift));
            }
        }
        frame.write(payload, 0, payload.length);
        return writeRaw(frame.toByteArray());
    }

    /** Writes bytes as they are, bypassing framing (for truly broken peers). */
    public boolean writeRaw(byte[] bytes) {
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
                return true;
            } catch (IOException e) {
                LOG.debug("Write to a closed scripted connection ignored: {}", e.toString());
                return false;
            }
        }
    }

    /**
     * Sends a close frame with this code and reason, as a server closing the connection does; the
     * socket closes when the client answers with its own close frame (or the client drops it).
     */
    public boolean close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        synchronized (this) {
            closeSent = true;
        }
        return sendFrame(true, 0x8, payload);
    }

    /**
     * Closes the TCP connection at once with a reset (RST) and no close frame, like a crashed
     * server or a proxy that gave up: the client sees a "connection reset" error.
     */
    public void dropConnection() {
        synchronized (this) {
            paused = false;
            notifyAll();
        }
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** Whether pings are answered with pongs from now on. */
    public synchronized void answerPings(boolean answerPings) {
        this.answerPings = answerPings;
    }

    /**
     * Plays dead: from now on nothing the client sends gets an answer (no pong, no handler call;
     * messages and pings are still recorded) while the TCP connection stays up, so the client
     * sees a half-open link.
     */
    public synchronized void goSilent() {
        this.silent = true;
        this.answerPings = false;
    }

    /**
     * Stops reading from the socket: what the client sends piles up in the TCP buffers until they
     * are full and the client's writes stall, as with a peer that is alive but overloaded.
     */
    public synchronized void pauseReading() {
        this.paused = true;
    }

    /** Reads again after {@link #pauseReading()}. */
    public synchronized void resumeReading() {
        this.paused = false;
        notifyAll();
    }

    // ---------------------------------------------------------------- recording

    /** Every text message received so far, in order. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /**
     * The next message not yet returned by this method (a cursor over {@link #messages()}).
     *
     * @throws AssertionError if none arrives within {@code timeout}
     */
    public synchronized String nextMessage(Duration timeout) {
        await(timeout, () -> cursor < messages.size() || closed, "a message");
        if (cursor >= messages.size()) {
            throw new AssertionError("The connection closed (" + closeFromClient + ") before another message; received: "
                    + messages);
        }
        return messages.get(cursor++);
    }

    /**
     * The first message received so far or later that matches, whether or not {@link #nextMessage}
     * already returned it; does not move the cursor.
     *
     * @throws AssertionError if none arrives within {@code timeout}
     */
    public synchronized String awaitMessage(Predicate<String> matching, Duration timeout) {
        await(timeout, () -> messages.stream().anyMatch(matching), "a matching message");
        return messages.stream().filter(matching).findFirst().orElseThrow();
    }

    /** The first message containing {@code text}; see {@link #awaitMessage(Predicate, Duration)}. */
    public String awaitMessageContaining(String text, Duration timeout) {
        return awaitMessage(message -> message.contains(text), timeout);
    }

    /** How many ping frames the client sent. */
    public synchronized int pingsReceived() {
        return pings;
    }

    /**
     * Waits until the client has sent at least {@code count} ping frames.
     *
     * @throws AssertionError if it did not within {@code timeout}
     */
    public synchronized void awaitPings(int count, Duration timeout) {
        await(timeout, () -> pings >= count, count + " pings");
    }

    /**
     * Waits for the connection to end and returns the client's close frame, or code 1006 when the
     * TCP connection ended without one.
     *
     * @throws AssertionError if it did not end within {@code timeout}
     */
    public synchronized CloseFrame awaitCloseFromClient(Duration timeout) {
        await(timeout, () -> closeFromClient != null || closed, "the client to close");
        return closeFromClient != null ? closeFromClient : new CloseFrame(1006, "");
    }

    /** Whether the connection has ended. */
    public synchronized boolean isClosed() {
        return closed;
    }

    private void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + what + "; received so far: "
                        + messages + ", pings " + pings + (closed ? ", closed " + closeFromClient : ""));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    synchronized void markClosed(int code, String reason) {
        if (closeFromClient == null && code != 1006) {
            closeFromClient = new CloseFrame(code, reason);
        }
        closed = true;
        notifyAll();
    }

    // ---------------------------------------------------------------- reading

    void readLoop() throws IOException {
        ByteArrayOutputStream message = null;
        while (true) {
            synchronized (this) {
                while (paused) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            int b0 = in.read();
            if (b0 < 0) {
                return;
            }
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if (length > MAX_CLIENT_MESSAGE) {
                throw new IOException("Client frame of " + length + " bytes is too large for the scripted server");
            }
            byte[] mask = new byte[4];
            if (masked) {
                readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            readFully(payload);
            if (masked) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            switch (opcode) {
                case 0x0, 0x1, 0x2 -> {
                    if (message == null) {
                        message = new ByteArrayOutputStream();
                    }
                    message.write(payload);
                    if (fin) {
                        String text = message.toString(StandardCharsets.UTF_8);
                        message = null;
                        received(text);
                    }
                }
                case 0x8 -> {
                    int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                    String reason = payload.length > 2
                            ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    boolean reply;
                    synchronized (this) {
                        closeFromClient = new CloseFrame(code, reason);
                        reply = !closeSent && !silent;
                        notifyAll();
                    }
                    if (reply) {
                        sendFrame(true, 0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                    }
                    synchronized (this) {
                        if (silent) {
                            continue; // a dead peer keeps the TCP connection open, answering nothing
                        }
                    }
                    return;
                }
                case 0x9 -> {
                    boolean reply;
                    synchronized (this) {
                        pings++;
                        reply = answerPings;
                        notifyAll();
                    }
                    if (reply) {
                        sendFrame(true, 0xA, payload);
                    }
                }
                default -> {
                    // pongs and reserved opcodes are ignored
                }
            }
        }
    }

    private void received(String text) {
        boolean react;
        synchronized (this) {
            messages.add(text);
            react = !silent;
            notifyAll();
        }
        if (react && onMessage != null) {
            onMessage.accept(this, text);
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("The client closed the TCP connection in the middle of a frame");
        }
        return b;
    }

    private void readFully(byte[] buffer) throws IOException {
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                throw new EOFException("The client closed the TCP connection in the middle of a frame");
            }
            read += n;
        }
    }

    static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    @Override
    public synchronized String toString() {
        return "ScriptedWebSocketConnection{offered=" + offered + ", selected=" + selected + ", messages="
                + messages.size() + (closed ? ", closed" : "") + '}';
    }
}
