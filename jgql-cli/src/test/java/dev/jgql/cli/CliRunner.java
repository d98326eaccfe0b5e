package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Runs the CLI in-process, with streams the test controls, and checks nothing is left running. */
final class CliRunner {
    static final Duration WAIT = Duration.ofSeconds(20);

    private CliRunner() {
    }

    /** What a run printed and returned. */
    record Result(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** A run in progress, on its own thread, with its output readable while it runs. */
    static final class Running {
        final CliContext context;
        final ByteArrayOutputStream out;
        final ByteArrayOutputStream err;
        final CompletableFuture<Integer> status;

        Running(CliContext context, ByteArrayOutputStream out, ByteArrayOutputStream err, CompletableFuture<Integer> status) {
            this.context = context;
            this.out = out;
            this.err = err;
            this.status = status;
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        Result await() throws Exception {
            int code = status.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return new Result(code, out(), err());
        }
    }

    static Result run(String stdin, String... args) throws Exception {
        return start(stdin, context -> context, args).await();
    }

    static Result run(String stdin, UnaryOperator<CliContext> setUp, String... args) throws Exception {
        return start(stdin, setUp, args).await();
    }

    /** Starts a run on a new thread; the returned handle waits for it, boundedly. */
    static Running start(String stdin, UnaryOperator<CliContext> setUp, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = setUp.apply(CliContext.of(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                status.complete(JgqlCli.run(args, context));
            } catch (Throwable failure) {
                status.completeExceptionally(failure);
            }
        }, "cli-under-test");
        thread.setDaemon(true);
        thread.start();
        return new Running(context, out, err, status);
    }

    /** jgql's threads (transport, scheduler) and the CLI's spinner have all ended. */
    static void awaitNoJgqlThreads() {
        await("jgql threads to end").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName)
                        .filter(name -> name.startsWith("jgql-"))
                        .toList()).isEmpty());
    }

    /** A loopback port with nothing listening, a moment ago. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
