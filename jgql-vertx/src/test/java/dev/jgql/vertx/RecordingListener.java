package dev.jgql.vertx;

import dev.jgql.engine.EngineWebSocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records what an engine hands a WebSocket listener, as short strings, and the threads it used. */
final class RecordingListener implements EngineWebSocket.Listener {
    private final List<String> events = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private int calls;
    private int concurrent;

    private synchronized void record(String event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
        notifyAll();
    }

    private void enter() {
        synchronized (this) {
            calls++;
            concurrent++;
            if (concurrent > 1) {
                events.add("CONCURRENT CALL");
            }
        }
    }

    private synchronized void leave() {
        concurrent--;
    }

    @Override
    public void onText(CharSequence fragment, boolean last) {
        enter();
        record("chars:" + fragment + (last ? "" : "…"));
        leave();
    }

    @Override
    public void onTextBytes(ByteBuffer fragment, boolean last) {
        enter();
        byte[] bytes = new byte[fragment.remaining()];
        fragment.get(bytes);
        text.write(bytes, 0, bytes.length);
        if (last) {
            record("text:" + text.toString(StandardCharsets.UTF_8));
            text.reset();
        }
        leave();
    }

    @Override
    public void onBinary(ByteBuffer fragment, boolean last) {
        enter();
        record("binary:" + fragment.remaining());
        leave();
    }

    @Override
    public void onPong(ByteBuffer data) {
        enter();
        record("pong:" + StandardCharsets.UTF_8.decode(data));
        leave();
    }

    @Override
    public void onClose(int code, String reason) {
        enter();
        record("close:" + code + ":" + reason);
        leave();
    }

    @Override
    public void onError(Throwable error) {
        enter();
        record("error:" + error);
        leave();
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    /** Waits, a bounded time, for at least {@code count} events; returns them. */
    synchronized List<String> await(int count, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (events.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + count + " events within " + wait + ", got " + events);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(events);
    }
}
