package dev.jgql.upload;

import dev.jgql.Client;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.Upload;
import dev.jgql.countries.CountriesServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A file larger than the heap (256 MB, run with {@code -Xmx64m} by the small-heap execution) is
 * uploaded whole: the multipart body is streamed from the file in constant memory.
 */
@Timeout(120)
class UploadSmallHeapTest {
    private static final long SIZE = 256L * 1024 * 1024;

    @Test
    void aFileLargerThanTheHeapIsStreamed(@TempDir Path dir) throws Exception {
        // Proves something only in the small-heap execution (-Xmx64m); a -Dtest run in a large heap skips it.
        assumeTrue(Runtime.getRuntime().maxMemory() < SIZE / 2, "needs a heap smaller than the file");
        Path file = dir.resolve("large.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(SIZE); // zeros, without writing them
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] zeros = new byte[1 << 20];
        for (long done = 0; done < SIZE; done += zeros.length) {
            digest.update(zeros);
        }

        Map<String, Object> data;
        try (CountriesServer backend = CountriesServer.start(0);
             Client client = Client.builder().transport(TestEngines.http(backend.httpUri()).build())
                     .executeTimeout(java.time.Duration.ofSeconds(90)).build();
             Session session = client.connect()) {
            data = session.execute(gql("mutation Store($file: Upload!) { storeFile(file: $file) { size sha256 } }"),
                    Map.of("file", Upload.of(file)));
        }

        assertThat(data).isEqualTo(Map.of("storeFile", Map.of("size", (double) SIZE,
                "sha256", HexFormat.of().formatHex(digest.digest()))));
    }
}
