package dev.jgql;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file to upload, usable as the value of a variable anywhere in a request's variables (alone, in
 * lists, inside input objects): the request then goes as a GraphQL multipart request
 * ({@code operations}, {@code map}, then one part per file, streamed in constant memory). Over HTTP
 * only; the server must take uploads (an {@code Upload} scalar: graphql-upload, Apollo Server with
 * it, Yoga, Vert.x with multipart enabled). Immutable.
 *
 * <pre>{@code
 * GraphQLRequest store = Gql.gql("mutation Store($file: Upload!) { storeFile(file: $file) { size sha256 } }");
 * Map<String, Object> data = session.execute(store, Map.of("file", Upload.of(Path.of("report.pdf"))));
 * }</pre>
 *
 * <p>A call is retried (by the permanent session) only when every one of its uploads can be read
 * again: a file, bytes, or a stream {@link #of(Opener, long, String) opened anew} each time; an
 * upload from a stream that can be read once is sent at most once.
 */
public final class Upload {
    /** Opens the content of an upload anew, each time it is sent. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @return a new stream positioned at the start of the content; jgql closes it
         * @throws IOException if it cannot be opened
         */
        InputStream open() throws IOException;
    }

    /** Told how much of an upload has been sent; called on the thread that sends it, so it must be quick. */
    @FunctionalInterface
    public interface ProgressListener {
        /**
         * @param sent  bytes of this upload sent so far
         * @param total its length, or -1 if unknown
         */
        void progress(long sent, long total);
    }

    private final Path path;
    private final byte[] bytes;
    private final Opener opener;
    private final AtomicBoolean openedOnce;
    private final long length;
    private final String fileName;
    private final String contentType;
    private final ProgressListener progress;

    private Upload(Path path, byte[] bytes, Opener opener, AtomicBoolean openedOnce, long length, String fileName,
            String contentType, ProgressListener progress) {
        this.path = path;
        this.bytes = bytes;
        this.opener = opener;
        this.openedOnce = openedOnce;
        this.length = length;
        this.fileName = fileName;
        this.contentType = contentType;
        this.progress = progress;
    }

    /**
     * A file, named as on disk, of type {@code application/octet-stream} unless
     * {@link #withContentType} says otherwise. It is read when sent; a file missing then fails the
     * call before anything is sent.
     *
     * @param path the file
     * @return the upload
     */
    public static Upload of(Path path) {
        Objects.requireNonNull(path, "path");
        Path name = path.getFileName();
        return new Upload(path, null, null, null, -1, name == null ? "file" : name.toString(),
                "application/octet-stream", null);
    }

    /**
     * Bytes in memory; the array is not copied and must not change afterwards.
     *
     * @param bytes    the content
     * @param fileName the name the server sees
     * @return the upload
     */
    public static Upload of(byte[] bytes, String fileName) {
        Objects.requireNonNull(bytes, "bytes");
        return new Upload(null, bytes, null, null, bytes.length, name(fileName), "application/octet-stream", null);
    }

    /**
     * A stream opened anew each time the upload is sent (so it can be retried).
     *
     * @param opener   opens the content
     * @param length   its length in bytes, or -1 if unknown (the request is then sent chunked)
     * @param fileName the name the server sees
     * @return the upload
     */
    public static Upload of(Opener opener, long length, String fileName) {
        Objects.requireNonNull(opener, "opener");
        return new Upload(null, null, opener, null, checkLength(length), name(fileName), "application/octet-stream", null);
    }

    /**
     * A stream that can be read once: the call that carries it is never sent twice (no retry).
     *
     * @param stream   the content; jgql closes it
     * @param length   its length in bytes, or -1 if unknown
     * @param fileName the name the server sees
     * @return the upload
     */
    public static Upload ofStreamOnce(InputStream stream, long length, String fileName) {
        Objects.requireNonNull(stream, "stream");
        return new Upload(null, null, () -> stream, new AtomicBoolean(), checkLength(length), name(fileName),
                "application/octet-stream", null);
    }

    /**
     * @param contentType the part's {@code Content-Type}, e.g. {@code image/png}
     * @return this upload with that type
     */
    public Upload withContentType(String contentType) {
        return new Upload(path, bytes, opener, openedOnce, length, fileName, headerValue(contentType, "contentType"),
                progress);
    }

    /**
     * @param fileName the name the server sees
     * @return this upload with that name
     */
    public Upload withFileName(String fileName) {
        return new Upload(path, bytes, opener, openedOnce, length, name(fileName), contentType, progress);
    }

    /**
     * @param listener told of the bytes of this upload sent so far, after each chunk and at the end
     * @return this upload reporting its progress to {@code listener}
     */
    public Upload withProgress(ProgressListener listener) {
        return new Upload(path, bytes, opener, openedOnce, length, fileName, contentType,
                Objects.requireNonNull(listener, "listener"));
    }

    /** @return the name the server sees */
    public String fileName() {
        return fileName;
    }

    /** @return the part's content type */
    public String contentType() {
        return contentType;
    }

    /** @return whether it can be sent again (a file, bytes, or a stream opened anew) */
    public boolean isRereadable() {
        return openedOnce == null;
    }

    /**
     * The length in bytes as of now (a file's current size), or -1 if unknown.
     *
     * @return the length
     * @throws IOException if a file's size cannot be read (it is missing)
     */
    public long length() throws IOException {
        return path != null ? Files.size(path) : length;
    }

    /** @return the file, if this is one */
    public java.util.Optional<Path> path() {
        return java.util.Optional.ofNullable(path);
    }

    /**
     * Opens the content for sending.
     *
     * @return a new stream at its start
     * @throws IOException if it cannot be opened, or was read once already
     */
    public InputStream open() throws IOException {
        if (path != null) {
            return Files.newInputStream(path);
        }
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        if (openedOnce != null && !openedOnce.compareAndSet(false, true)) {
            throw new IOException("The upload " + fileName + " is a stream that can be read once, and it was read already");
        }
        InputStream stream = opener.open();
        if (stream == null) {
            throw new IOException("The opener of the upload " + fileName + " returned no stream");
        }
        return stream;
    }

    /**
     * Tells this upload's {@link #withProgress progress listener}, if any; for transports.
     *
     * @param sent  bytes sent so far
     * @param total the length, or -1 if unknown
     */
    public void reportProgress(long sent, long total) {
        if (progress != null) {
            progress.progress(sent, total);
        }
    }

    private static long checkLength(long length) {
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (unknown) or at least 0: " + length);
        }
        return length;
    }

    private static String name(String fileName) {
        return headerValue(fileName, "fileName");
    }

    private static String headerValue(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException(what + " must be non-empty and on one line: " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "Upload{" + fileName + ", " + contentType + (length >= 0 ? ", " + length + " bytes" : "") + '}';
    }
}
