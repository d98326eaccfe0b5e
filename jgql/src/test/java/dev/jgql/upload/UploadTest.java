package dev.jgql.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.BackendTestSupport;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportException;
import dev.jgql.Upload;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.testkit.ScriptedHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** File uploads (the GraphQL multipart request spec) against the countries backend, a scripted server and a chaos proxy. */
@Timeout(60)
class UploadTest extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final GraphQLRequest STORE = gql(
            "mutation Store($file: Upload!) { storeFile(file: $file) { fileName contentType size sha256 } }");
    private static final GraphQLRequest STORE_ALL = gql(
            "mutation StoreAll($files: [Upload!]!) { storeFiles(files: $files) { fileName size sha256 } }");

    @TempDir
    Path dir;

    private Client client(java.net.URI uri) {
        return closeLater(Client.builder().transport(TestEngines.http(uri).build()).build());
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aFileArrivesWholeWithItsNameAndTypeAndProgressIsReported() throws Exception {
        byte[] content = randomBytes(300_000, 1);
        Path file = Files.write(dir.resolve("report.bin"), content);
        List<long[]> progress = new CopyOnWriteArrayList<>();
        Upload upload = Upload.of(file).withContentType("application/pdf")
                .withProgress((sent, total) -> progress.add(new long[] {sent, total}));

        Map<String, Object> data;
        try (Session session = client(backend.httpUri()).connect()) {
            data = session.execute(STORE, Map.of("file", upload));
        }

        assertThat(data).isEqualTo(Map.of("storeFile", Map.of("fileName", "report.bin", "contentType", "application/pdf",
                "size", 300_000.0, "sha256", sha256(content))));
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).containsExactly(300_000, 300_000);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i)[0]).isGreaterThan(progress.get(i - 1)[0]);
        }
    }

    @Test
    void uploadsInListsFromBytesAndStreamsAndOneFileInTwoPlaces() throws Exception {
        byte[] first = randomBytes(70_000, 2);
        byte[] second = "hello".getBytes(StandardCharsets.UTF_8);
        Upload shared = Upload.of(first, "first.bin");
        Upload streamed = Upload.of(() -> new ByteArrayInputStream(second), -1, "second.txt");

        Map<String, Object> data;
        try (Session session = client(backend.httpUri()).connect()) {
            data = session.execute(STORE_ALL, Map.of("files", List.of(shared, streamed, shared)));
        }

        assertThat(data).isEqualTo(Map.of("storeFiles", List.of(
                Map.of("fileName", "first.bin", "size", 70_000.0, "sha256", sha256(first)),
                Map.of("fileName", "second.txt", "size", 5.0, "sha256", sha256(second)),
                Map.of("fileName", "first.bin", "size", 70_000.0, "sha256", sha256(first)))));
    }

    @Test
    void thePartsGoInSpecOrderWithThePreflightHeaders() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        server.enqueue(ScriptedHttpServer.Response.json(200, "{\"data\":{\"storeFile\":{\"size\":3}}}"));
        GraphQLRequest nested = gql("mutation Nested($input: In!) { store(input: $input) }");

        try (Session session = client(server.uri()).connect()) {
            Map<String, Object> sentInput = new java.util.LinkedHashMap<>();
            sentInput.put("name", "x");
            sentInput.put("attachments", List.of(
                    Upload.of("abc".getBytes(StandardCharsets.UTF_8), "a \"quoted\".txt").withContentType("text/plain")));
            session.execute(nested, Map.of("input", sentInput));
        }

        ScriptedHttpServer.RecordedRequest sent = server.takeRequest(WAIT);
        assertThat(sent.header("Content-Type").orElseThrow()).startsWith("multipart/form-data; boundary=");
        assertThat(sent.header("Apollo-Require-Preflight")).contains("true");
        assertThat(sent.header("GraphQL-Preflight")).contains("1");
        String boundary = sent.header("Content-Type").orElseThrow().substring("multipart/form-data; boundary=".length());
        String body = sent.body();
        Map<String, Object> input = new java.util.LinkedHashMap<>();
        input.put("name", "x");
        input.put("attachments", java.util.Collections.singletonList(null));
        Map<String, Object> operations = new java.util.LinkedHashMap<>();
        operations.put("query", nested.document());
        operations.put("variables", Map.of("input", input));
        assertThat(body).isEqualTo("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"operations\"\r\nContent-Type: application/json\r\n\r\n"
                + new ObjectMapper().writeValueAsString(operations) + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"map\"\r\nContent-Type: application/json\r\n\r\n"
                + "{\"0\":[\"variables.input.attachments.0\"]}\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"0\"; filename=\"a %22quoted%22.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + "abc\r\n"
                + "--" + boundary + "--\r\n");
    }

    @Test
    void aMissingFileFailsBeforeAnythingIsSent() {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());

        try (Session session = client(server.uri()).connect()) {
            assertThatThrownBy(() -> session.execute(STORE, Map.of("file", Upload.of(dir.resolve("missing.bin")))))
                    .isInstanceOf(JgqlUsageException.class)
                    .hasMessageContaining("missing.bin")
                    .hasMessageContaining("does not exist or cannot be read; nothing was sent");
        }

        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aStreamThatFailsMidUploadIsAClearErrorAndTheBackendCarriesOn() throws Exception {
        byte[] content = randomBytes(400_000, 3);
        Upload failing = Upload.of(() -> new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read == 200_000) {
                    throw new IOException("disk on fire");
                }
                return content[read++] & 0xff;
            }
        }, content.length, "failing.bin");

        try (Session session = client(backend.httpUri()).connect()) {
            assertThatThrownBy(() -> session.execute(STORE, Map.of("file", failing)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("The upload failing.bin at [variables.file] could not be sent")
                    .hasMessageContaining("after 196608 bytes")
                    .hasMessageContaining("disk on fire");
            assertThat(session.execute(STORE, Map.of("file", Upload.of(content, "whole.bin"))))
                    .isEqualTo(Map.of("storeFile", Map.of("fileName", "whole.bin", "contentType", "application/octet-stream",
                            "size", 400_000.0, "sha256", sha256(content))));
        }
    }

    @Test
    void aServerThatDropsTheConnectionMidUploadGivesAConnectionFailure() throws Exception {
        ChaosProxy proxy = closeLater(ChaosProxy.start(backend.port()));
        proxy.killAfterBytes(150_000);
        Path file = Files.write(dir.resolve("big.bin"), randomBytes(1_000_000, 4));

        try (Session session = client(proxy.httpUri("/graphql")).connect()) {
            assertThatThrownBy(() -> session.execute(STORE, Map.of("file", Upload.of(file))))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("may have");
        }
    }

    @Test
    void overAWebSocketAnUploadIsRefusedWithAClearError() {
        Client client = closeLater(Client.builder().transport(TestEngines.ws(backend.webSocketUri()).build()).build());

        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(STORE, Map.of("file", Upload.of(new byte[1], "x"))))
                    .isInstanceOf(JgqlUsageException.class)
                    .hasMessageContaining("over HTTP only");
        }
    }

    @Test
    void theOnlyRetryOfAnUploadIsOneWhoseSourcesCanBeReadAgain() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        AtomicInteger uploads = new AtomicInteger();
        server.handler(request -> {
            if (request.body().contains("jgqlProbe")) {
                return ScriptedHttpServer.Response.json(200, "{\"data\":{\"__typename\":\"Query\"}}");
            }
            // every first attempt is cut off before its answer
            return uploads.incrementAndGet() % 2 == 1 ? ScriptedHttpServer.Response.closeWithoutResponse()
                    : ScriptedHttpServer.Response.json(200, "{\"data\":{\"check\":true}}");
        });
        Client client = client(server.uri());
        ReconnectingSession session = client.connectAsync(Reconnect.builder()
                .retryExecute(dev.failsafe.RetryPolicy.builder().handle(Exception.class).withMaxRetries(3).build())
                .build()).get(10, TimeUnit.SECONDS);
        GraphQLRequest check = gql("query Check($file: Upload!) { check(file: $file) }");

        assertThat(session.execute(check, Map.of("file", Upload.of(new byte[10], "again.bin"))).get(10, TimeUnit.SECONDS))
                .isEqualTo(Map.of("check", true));
        assertThat(uploads).hasValue(2);

        Upload once = Upload.ofStreamOnce(new ByteArrayInputStream(new byte[10]), 10, "once.bin");
        assertThatThrownBy(() -> session.execute(check, Map.of("file", once)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TransportException.class);
        assertThat(uploads).hasValue(3);
    }
}
