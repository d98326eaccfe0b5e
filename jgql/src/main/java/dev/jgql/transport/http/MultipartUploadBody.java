package dev.jgql.transport.http;

import dev.jgql.JgqlUsageException;
import dev.jgql.TransportException;
import dev.jgql.Upload;
import dev.jgql.internal.FailedPublisher;
import dev.jgql.internal.UploadParts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of a GraphQL multipart request ({@code multipart/form-data}): {@code operations}, then
 * {@code map}, then one part per file, in that order, as the multipart request specification says.
 * Files are read in chunks as the engine asks for them, so memory stays constant whatever their
 * size. A file that cannot be read, or whose length changes while it is sent, ends the body with
 * an error that names it ({@link #sourceFailure()}).
 */
final class MultipartUploadBody implements Flow.Publisher<ByteBuffer> {
    private static final int CHUNK = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    /** byte[] (fixed text) or FilePart (content), in order. */
    private final List<Object> segments;
    private final long contentLength;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile TransportException sourceFailure;

    private record FilePart(Upload upload, long length, String where) {
    }

    private MultipartUploadBody(String boundary, List<Object> segments, long contentLength) {
        this.boundary = boundary;
        this.segments = segments;
        this.contentLength = contentLength;
    }

    /**
     * @param operations the request's JSON, uploads replaced by null
     * @param mapJson    the {@code map} field's JSON
     * @throws JgqlUsageException if a file's length cannot be read (it is gone)
     */
    static MultipartUploadBody of(byte[] operations, byte[] mapJson, UploadParts parts) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String boundary = "jgql-" + HexFormat.of().formatHex(random);
        List<Object> segments = new ArrayList<>();
        long length = 0;
        boolean lengthKnown = true;
        byte[] head = concat(text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"operations\"\r\n"
                + "Content-Type: application/json\r\n\r\n"), operations,
                text("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"map\"\r\n"
                        + "Content-Type: application/json\r\n\r\n"), mapJson);
        segments.add(head);
        length += head.length;
        for (int i = 0; i < parts.files().size(); i++) {
            Upload upload = parts.files().get(i);
            byte[] partHead = text("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + i
                    + "\"; filename=\"" + quoted(upload.fileName()) + "\"\r\nContent-Type: " + upload.contentType()
                    + "\r\n\r\n");
            segments.add(partHead);
            length += partHead.length;
            long fileLength;
            try {
                fileLength = upload.length();
            } catch (IOException e) {
                throw new JgqlUsageException("The upload " + upload.fileName() + " at " + parts.paths().get(i)
                        + " cannot be read (" + e + "); nothing was sent");
            }
            segments.add(new FilePart(upload, fileLength, String.valueOf(parts.paths().get(i))));
            if (fileLength < 0) {
                lengthKnown = false;
            } else {
                length += fileLength;
            }
        }
        byte[] tail = text("\r\n--" + boundary + "--\r\n");
        segments.add(tail);
        length += tail.length;
        return new MultipartUploadBody(boundary, segments, lengthKnown ? length : -1);
    }

    /** @return the {@code Content-Type} of the body, with its boundary */
    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** @return the body's length, or -1 when a stream's length is unknown (sent chunked) */
    long contentLength() {
        return contentLength;
    }

    /** @return why reading a file failed, once it has, else null */
    TransportException sourceFailure() {
        return sourceFailure;
    }

    /** A file name as a quoted parameter: as browsers encode form data, quotes and line breaks percent-encoded. */
    private static String quoted(String fileName) {
        return fileName.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... arrays) {
        int total = 0;
        for (byte[] array : arrays) {
            total += array.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] array : arrays) {
            System.arraycopy(array, 0, all, at, array.length);
            at += array.length;
        }
        return all;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            // Read once: a request that is sent again gets a new body from the call's uploads.
            FailedPublisher.<ByteBuffer>of(new IllegalStateException("A multipart upload body can be sent once"))
                    .subscribe(subscriber);
            return;
        }
        subscriber.onSubscribe(new Reading(subscriber));
    }

    /** Produces chunks on the engine's demand, on the thread that asks (files are read there). */
    private final class Reading implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        // touched by the draining thread only
        private boolean done;
        private int index;
        private InputStream current;
        private long sentOfCurrent;

        Reading(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                drain();
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.getAndAccumulate(n, (now, more) -> now + more < 0 ? Long.MAX_VALUE : now + more);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            drain();
        }

        private void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!done && !cancelled && demand.get() > 0) {
                    ByteBuffer next;
                    try {
                        next = next();
                    } catch (TransportException failure) {
                        done = true;
                        closeCurrent();
                        sourceFailure = failure;
                        subscriber.onError(failure);
                        break;
                    }
                    if (next == null) {
                        done = true;
                        subscriber.onComplete();
                        break;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(next);
                }
                if (cancelled || done) {
                    closeCurrent();
                }
            } while (work.decrementAndGet() != 0);
        }

        /** The next chunk, or null at the end. */
        private ByteBuffer next() {
            while (index < segments.size()) {
                Object segment = segments.get(index);
                if (segment instanceof byte[] bytes) {
                    index++;
                    return ByteBuffer.wrap(bytes);
                }
                FilePart part = (FilePart) segment;
                try {
                    if (current == null) {
                        current = part.upload().open();
                        sentOfCurrent = 0;
                    }
                    byte[] chunk = new byte[CHUNK]; // a new array: a published buffer must not change
                    int read = current.readNBytes(chunk, 0, CHUNK);
                    if (read > 0) {
                        sentOfCurrent += read;
                        if (part.length() >= 0 && sentOfCurrent > part.length()) {
                            throw failure(part, "it grew while being sent (more than the " + part.length()
                                    + " bytes announced)", null);
                        }
                        part.upload().reportProgress(sentOfCurrent, part.length());
                        return ByteBuffer.wrap(chunk, 0, read);
                    }
                    if (part.length() >= 0 && sentOfCurrent != part.length()) {
                        throw failure(part, "it ended after " + sentOfCurrent + " of the " + part.length()
                                + " bytes announced (it shrank while being sent)", null);
                    }
                    if (sentOfCurrent == 0) {
                        part.upload().reportProgress(0, part.length());
                    }
                    closeCurrent();
                    index++;
                } catch (IOException | RuntimeException e) {
                    if (e instanceof TransportException known) {
                        throw known;
                    }
                    throw failure(part, "reading it failed after " + sentOfCurrent + " bytes: " + e, e);
                }
            }
            return null;
        }

        private TransportException failure(FilePart part, String why, Throwable cause) {
            return new TransportException("The upload " + part.upload().fileName() + " at " + part.where()
                    + " could not be sent: " + why + ". The request was cut off before its end, so the server got an "
                    + "incomplete request", cause);
        }

        private void closeCurrent() {
            InputStream stream = current;
            current = null;
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // nothing more is read from it
                }
            }
        }
    }
}
