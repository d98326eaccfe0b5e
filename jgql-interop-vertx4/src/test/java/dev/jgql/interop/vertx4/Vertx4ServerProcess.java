package dev.jgql.interop.vertx4;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link Vertx4ApolloServer} in a JVM of its own, so that the tests can run jgql on the Vert.x 5
 * engine: Vert.x 4 and Vert.x 5 (and their Netty 4.1 and 4.2) cannot share one class path. The
 * build writes the server's class path (this module's, with Vert.x 4) to the file named by
 * {@code jgql.vertx4.classpathFile}. The child prints its port, answers {@code active} with its
 * number of running countdowns, and stops when its standard input closes.
 */
@SuppressWarnings("try") // close() waits for the child process, which may be interrupted: callers handle it
final class Vertx4ServerProcess implements AutoCloseable {
    private static final long WAIT_SECONDS = 30;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final int port;

    private Vertx4ServerProcess(Process process) throws IOException, InterruptedException {
        this.process = process;
        this.commands = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the child is gone
            }
        }, "vertx4-server-output");
        reader.setDaemon(true);
        reader.start();
        this.port = Integer.parseInt(await("PORT "));
    }

    static Vertx4ServerProcess start(long keepAliveMs) throws Exception {
        String file = System.getProperty("jgql.vertx4.classpathFile");
        String classes = System.getProperty("jgql.vertx4.testClasses");
        if (file == null || classes == null) {
            throw new IllegalStateException("Run this test with Maven: it sets jgql.vertx4.classpathFile and jgql.vertx4.testClasses");
        }
        String classpath = classes + java.io.File.pathSeparator + Files.readString(Path.of(file)).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, Vertx4ApolloServer.class.getName(),
                Long.toString(keepAliveMs))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            return new Vertx4ServerProcess(process);
        } catch (Exception | Error e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The next line of the child's output that starts with {@code prefix}, without it; bounded. */
    private String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("The Vert.x 4 server said nothing starting with '" + prefix + "' within "
                        + WAIT_SECONDS + " s (alive: " + process.isAlive() + ")");
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
    }

    int activeCountdowns() {
        try {
            commands.write("active\n");
            commands.flush();
            return Integer.parseInt(await("ACTIVE "));
        } catch (IOException e) {
            throw new IllegalStateException("The Vert.x 4 server is gone", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/graphql");
    }

    @Override
    public void close() throws Exception {
        try {
            commands.close(); // the child stops when its input ends
        } catch (IOException alreadyGone) {
            // nothing to tell it
        }
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
}
