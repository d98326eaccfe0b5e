package dev.jgql.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The countries backend the client benchmarks talk to, in its own process so that only the client side
 * is measured in the benchmark JVM.
 *
 * <p>If the system property {@code jgql.bench.http} is set (for example {@code http://127.0.0.1:4000/graphql},
 * as {@code jgql-bench/run-benchmarks.sh} does), that server is used and nothing is started: every client and
 * every jar then measures against the same server process. Otherwise {@link #acquire()} starts
 * {@code java -jar jgql-countries-VERSION.jar --port 0} (path from {@code jgql.bench.serverJar}, default looked
 * up from the working directory) and {@link #close()} stops it.
 */
public final class BenchServer implements AutoCloseable {
    private static final String JAR = "jgql-countries/target/jgql-countries-0.1.0-SNAPSHOT.jar";

    private final Process process;
    private final URI http;

    private BenchServer(Process process, URI http) {
        this.process = process;
        this.http = http;
    }

    /** The configured server, or a freshly started one. */
    public static BenchServer acquire() {
        String configured = System.getProperty("jgql.bench.http");
        if (configured != null && !configured.isBlank()) {
            return new BenchServer(null, URI.create(configured));
        }
        return start();
    }

    private static BenchServer start() {
        Path jar = serverJar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0")
                    .redirectErrorStream(true)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                int at = line.indexOf("listening on ");
                if (at >= 0) {
                    String uri = line.substring(at + "listening on ".length()).split(" ")[0];
                    Thread drain = new Thread(() -> drain(out), "bench-server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new BenchServer(process, URI.create(uri));
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("The countries server at " + jar + " exited without announcing its port");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the countries server " + jar, e);
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // the server went away
        }
    }

    private static Path serverJar() {
        String configured = System.getProperty("jgql.bench.serverJar");
        if (configured != null) {
            return Path.of(configured);
        }
        for (String prefix : List.of("", "../", "../../", "../../../")) {
            Path candidate = Path.of(prefix + JAR);
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Cannot find " + JAR + " from " + Path.of("").toAbsolutePath()
                + ": build it (mvn package -pl jgql-countries), pass -Djgql.bench.serverJar=PATH, or run a server"
                + " and pass -Djgql.bench.http=http://127.0.0.1:PORT/graphql");
    }

    /** The HTTP endpoint, {@code http://127.0.0.1:PORT/graphql}. */
    public URI httpUri() {
        return http;
    }

    /** The WebSocket endpoint on the same path. */
    public URI webSocketUri() {
        return URI.create("ws" + http.toString().substring(4));
    }

    /** Stops the server if this object started it. */
    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
