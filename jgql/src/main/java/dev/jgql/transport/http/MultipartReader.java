package dev.jgql.transport.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportProtocolException;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.TransportFailures;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.MultipartMixedParser;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a streamed {@code multipart/mixed} response chunk by chunk and hands each part's JSON to
 * its {@link Sink}; exactly one of {@code end} and {@code failed} follows the parts.
 */
final class MultipartReader implements Flow.Subscriber<List<ByteBuffer>> {

    /** Where the parts go; called serially. */
    interface Sink {
        /** A part's JSON object. May throw a {@link TransportException} to abandon the response. */
        void part(Map<String, Object> json);

        /** The body ended; {@code closed} says whether the closing delimiter came first. */
        void end(boolean closed);

        /** The response broke or was malformed. */
        void failed(RuntimeException failure);
    }

    private final String where;
    private final ObjectMapper mapper;
    private final Sink sink;
    private final MultipartMixedParser parser;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private int parts;
    /** Set while the body's end delivers a last part without delimiter. */
    private boolean ending;

    private MultipartReader(String where, ObjectMapper mapper, String boundary, int maxPartSize, Sink sink) {
        this.where = where;
        this.mapper = mapper;
        this.sink = sink;
        this.parser = new MultipartMixedParser(boundary, (headers, body) -> part(body), maxPartSize);
    }

    /**
     * Reads the response's body into the sink.
     *
     * @return the reader, to {@link #stop} it
     */
    static MultipartReader read(HttpEngineResponse response, String where, ObjectMapper mapper, int maxPartSize,
            Sink sink) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String boundary = MultipartMixedParser.boundary(contentType);
        Flow.Publisher<List<ByteBuffer>> body = response.bodyStream().orElseThrow();
        if (boundary == null) {
            response.discard();
            sink.failed(new TransportProtocolException("The multipart response from " + where
                    + " has no boundary in its Content-Type '" + contentType + "'"));
            return null;
        }
        MultipartReader reader = new MultipartReader(where, mapper, boundary, maxPartSize, sink);
        body.subscribe(reader);
        return reader;
    }

    /** Stops reading and closes the response's connection; nothing more reaches the sink. */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }

    private void part(byte[] body) {
        if (stopped.get() && !ending) {
            return; // the sink has what it wanted: the rest of this chunk is not needed
        }
        parts++;
        int index = parts;
        Map<String, Object> json = GraphQLJson.readObject(mapper, body, 0, body.length,
                () -> "Part " + index + " of the multipart response from " + where);
        sink.part(json);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (stopped.get()) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> chunks) {
        if (stopped.get()) {
            return;
        }
        try {
            for (ByteBuffer chunk : chunks) {
                parser.feed(chunk);
            }
        } catch (TransportException e) {
            stop();
            sink.failed(e instanceof TransportProtocolException ? new TransportProtocolException(e.getMessage()
                    + "; the response was abandoned", e) : e);
            return;
        }
        if (!stopped.get()) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable failure) {
        if (stopped.compareAndSet(false, true)) {
            sink.failed(new TransportConnectionFailedException("The multipart response from " + where + " broke after "
                    + parts + " part(s) (" + TransportFailures.describe(failure)
                    + "); the request may have reached the server", true, failure));
        }
    }

    @Override
    public void onComplete() {
        if (stopped.compareAndSet(false, true)) {
            ending = true;
            try {
                parser.endOfInput();
            } catch (TransportException cutOff) {
                sink.failed(new TransportConnectionFailedException("The multipart response from " + where
                        + " ended in the middle of part " + parts + " (" + cutOff.getMessage()
                        + "); the request may have reached the server", true, cutOff));
                return;
            }
            if (parser.hasPartialPart()) {
                sink.failed(new TransportConnectionFailedException("The multipart response from " + where
                        + " ended in the middle of part " + (parts + 1) + "; the request may have reached the server",
                        true, null));
            } else {
                sink.end(parser.isClosed());
            }
        }
    }
}
