package dev.jgql.bench;

import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.Session;
import dev.jgql.Upload;
import dev.jgql.transport.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Upload throughput of one file to the out-of-process countries server ({@code storeFile}, which
 * digests the file as it streams in): {@code jgql}, a GraphQL multipart request through a session;
 * {@code raw}, the same multipart body POSTed with the JDK {@link HttpClient} and
 * {@code BodyPublishers.ofInputStream} over the file, the floor. Bytes per second = size / time.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UploadBenchmark {
    private static final String DOCUMENT = "mutation Store($file: Upload!) { storeFile(file: $file) { size } }";

    @Param({"jgql", "raw"})
    public String client;

    @Param({"67108864"})
    public long size;

    private BenchServer server;
    private Path file;
    private Client jgql;
    private Session session;
    private GraphQLRequest store;
    private HttpClient http;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = BenchServer.acquire();
        file = Files.createTempFile("jgql-upload-bench", ".bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(size);
        }
        if (client.equals("jgql")) {
            jgql = Client.builder().transport(HttpTransport.builder(server.httpUri()).build())
                    .executeTimeout(java.time.Duration.ofMinutes(1)).build();
            session = jgql.connect();
            store = Gql.gql(DOCUMENT);
        } else {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        }
    }

    @Benchmark
    public Object upload() throws Exception {
        if (client.equals("jgql")) {
            return session.execute(store, Map.of("file", Upload.of(file)));
        }
        String boundary = "raw-bench-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n"
                + "{\"query\":\"" + DOCUMENT + "\",\"variables\":{\"file\":null}}\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\":[\"variables.file\"]}\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"0\"; filename=\"f.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(server.httpUri())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new SequenceInputStream(java.util.Collections.enumeration(List.<InputStream>of(
                                new java.io.ByteArrayInputStream(head), Files.newInputStream(file),
                                new java.io.ByteArrayInputStream(tail))));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), head.length + size + tail.length))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("\"size\"")) {
            throw new IllegalStateException("The raw upload failed: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (jgql != null) {
            session.close();
            jgql.close();
        }
        Files.deleteIfExists(file);
        server.close();
    }
}
