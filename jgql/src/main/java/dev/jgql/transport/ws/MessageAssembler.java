package dev.jgql.transport.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.transport.support.GraphQLJson;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Joins the fragments of incoming text messages and parses each whole message straight from
 * characters or UTF-8 bytes, whichever the engine delivers, never through an intermediate String:
 * a single-fragment message from a heap buffer is parsed in place, others are copied once into a
 * buffer that is reused for the next message (and dropped after an unusually large one). Enforces
 * the largest message size while the fragments arrive. Used by the socket's listener only, which
 * the engine calls serially.
 */
final class MessageAssembler {
    /** Buffers above this are not kept for the next message. */
    private static final int KEPT_CAPACITY = 64 * 1024;

    /** One whole message, valid until the next fragment arrives. */
    interface Message {
        /** Parses it as a JSON object; a {@link dev.jgql.TransportProtocolException} if it is not one. */
        Map<String, Object> parse(ObjectMapper mapper, Supplier<String> what);

        /** The start of it, for messages. */
        String excerpt();
    }

    private final int maxSize;
    private char[] chars = new char[0];
    private byte[] bytes = new byte[0];
    private int length;
    private boolean discarding;

    // The message being handed out: one of these views, over a buffer.
    private char[] messageChars;
    private byte[] messageBytes;
    private int messageOffset;
    private int messageLength;
    private final Message message = new Message() {
        @Override
        public Map<String, Object> parse(ObjectMapper mapper, Supplier<String> what) {
            return messageChars != null
                    ? GraphQLJson.readObject(mapper, messageChars, messageOffset, messageLength, what)
                    : GraphQLJson.readObject(mapper, messageBytes, messageOffset, messageLength, what);
        }

        @Override
        public String excerpt() {
            return messageChars != null
                    ? GraphQLJson.excerpt(new String(messageChars, messageOffset, Math.min(messageLength, 1024))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    : GraphQLJson.excerpt(messageBytes, messageOffset, messageLength);
        }
    };

    /** Thrown, once per message, when a message grows past the limit; its remaining fragments are skipped. */
    static final class TooBig extends Exception {
        private static final long serialVersionUID = 1L;

        TooBig() {
            super(null, null, false, false);
        }
    }

    MessageAssembler(int maxSize) {
        this.maxSize = maxSize;
    }

    /**
     * Adds a fragment of characters.
     *
     * @return the whole message if {@code last}, else {@code null}
     * @throws TooBig if the message is larger than the limit
     */
    Message onChars(CharSequence fragment, boolean last) throws TooBig {
        if (skip(fragment.length(), last)) {
            return null;
        }
        if (last && length == 0 && fragment instanceof CharBuffer buffer && buffer.hasArray()) {
            return chars(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        ensureChars(length + fragment.length());
        if (fragment instanceof CharBuffer buffer) {
            buffer.duplicate().get(chars, length, buffer.remaining());
        } else {
            for (int i = 0; i < fragment.length(); i++) {
                chars[length + i] = fragment.charAt(i);
            }
        }
        length += fragment.length();
        if (!last) {
            return null;
        }
        Message whole = chars(chars, 0, length);
        length = 0;
        return whole;
    }

    /**
     * Adds a fragment of UTF-8 bytes.
     *
     * @return the whole message if {@code last}, else {@code null}
     * @throws TooBig if the message is larger than the limit
     */
    Message onBytes(ByteBuffer fragment, boolean last) throws TooBig {
        if (skip(fragment.remaining(), last)) {
            return null;
        }
        if (last && length == 0 && fragment.hasArray()) {
            return bytes(fragment.array(), fragment.arrayOffset() + fragment.position(), fragment.remaining());
        }
        ensureBytes(length + fragment.remaining());
        fragment.duplicate().get(bytes, length, fragment.remaining());
        length += fragment.remaining();
        if (!last) {
            return null;
        }
        Message whole = bytes(bytes, 0, length);
        length = 0;
        return whole;
    }

    /** Whether this fragment belongs to a message being skipped; throws when a message first goes over. */
    private boolean skip(int fragmentLength, boolean last) throws TooBig {
        if (discarding) {
            discarding = !last;
            return true;
        }
        if ((long) length + fragmentLength > maxSize) {
            length = 0;
            release();
            discarding = !last;
            throw new TooBig();
        }
        return false;
    }

    /** Forgets the message handed out; buffers grown for a large one are dropped. */
    void done() {
        messageChars = null;
        messageBytes = null;
        if (chars.length > KEPT_CAPACITY || bytes.length > KEPT_CAPACITY) {
            release();
        }
    }

    private void release() {
        chars = new char[0];
        bytes = new byte[0];
    }

    private Message chars(char[] buffer, int offset, int size) {
        messageChars = buffer;
        messageBytes = null;
        messageOffset = offset;
        messageLength = size;
        return message;
    }

    private Message bytes(byte[] buffer, int offset, int size) {
        messageBytes = buffer;
        messageChars = null;
        messageOffset = offset;
        messageLength = size;
        return message;
    }

    private void ensureChars(int needed) {
        if (chars.length < needed) {
            chars = Arrays.copyOf(chars, Math.max(needed, Math.min(maxSize, Math.max(256, chars.length * 2))));
        }
    }

    private void ensureBytes(int needed) {
        if (bytes.length < needed) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, Math.min(maxSize, Math.max(256, bytes.length * 2))));
        }
    }
}
