package dev.jgql.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket, as an engine gives it to a transport. Sends are asynchronous and must not
 * overlap: the transport sends one text message and waits for its future before the next (pings
 * and the close may be sent at any time). Incoming messages go to the {@link Listener} one call at
 * a time, and only as many as {@link #request requested}.
 *
 * <pre>{@code
 * socket.request(1);
 * socket.sendText("{\"type\":\"connection_init\"}").join();
 * socket.sendClose(1000, "").join();
 * }</pre>
 */
public interface EngineWebSocket {

    /** @return the subprotocol the server chose in the handshake, or an empty string if none */
    String subprotocol();

    /**
     * Sends a whole text message.
     *
     * @param text the message
     * @return completes when the message was handed to the socket, or exceptionally if it cannot
     *         be sent (the socket broke or is closed)
     */
    CompletableFuture<Void> sendText(String text);

    /**
     * Sends a ping frame; the pong arrives at {@link Listener#onPong}.
     *
     * @param data at most 125 bytes
     * @return completes when the ping was handed to the socket
     */
    CompletableFuture<Void> sendPing(ByteBuffer data);

    /**
     * Sends a close frame; the socket's input stays open until the server's close frame arrives
     * at {@link Listener#onClose}.
     *
     * @param code   the close code
     * @param reason the reason, at most 123 bytes of UTF-8
     * @return completes when the close frame was handed to the socket
     */
    CompletableFuture<Void> sendClose(int code, String reason);

    /**
     * Asks for {@code n} more incoming messages (fragments of a text message count one each).
     *
     * @param n how many more, positive
     */
    void request(long n);

    /** Closes the connection at once, without a close handshake. Idempotent. */
    void abort();

    /** @return whether no more frames can be sent (a close was sent, or the socket broke) */
    boolean isOutputClosed();

    /** @return whether no more frames will arrive (a close arrived, or the socket broke) */
    boolean isInputClosed();

    /**
     * Receives what arrives on a socket, one call at a time, never concurrently. A text message
     * arrives either as characters ({@link #onText}) or as UTF-8 bytes ({@link #onTextBytes}),
     * whichever the engine reads natively, possibly in several fragments; the last one has
     * {@code last} set. Arguments are valid only during the call.
     */
    interface Listener {

        /**
         * A fragment of a text message, as characters.
         *
         * @param fragment the characters
         * @param last     whether this ends the message
         */
        void onText(CharSequence fragment, boolean last);

        /**
         * A fragment of a text message, as UTF-8 bytes (a fragment may end inside a character).
         *
         * @param fragment the bytes
         * @param last     whether this ends the message
         */
        void onTextBytes(ByteBuffer fragment, boolean last);

        /**
         * A fragment of a binary message.
         *
         * @param fragment the bytes
         * @param last     whether this ends the message
         */
        void onBinary(ByteBuffer fragment, boolean last);

        /**
         * A pong frame.
         *
         * @param data its payload
         */
        void onPong(ByteBuffer data);

        /**
         * The server's close frame, or the end of the connection (code 1006) if none came.
         *
         * @param code   the close code
         * @param reason the reason, possibly empty
         */
        void onClose(int code, String reason);

        /**
         * The socket failed; no other call follows.
         *
         * @param error what happened
         */
        void onError(Throwable error);
    }
}
