package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar and the launcher script as real processes (run by failsafe after {@code package}),
 * against the embedded countries backend: what a user or a script sees, exit codes included.
 */
@Timeout(120)
class JgqlCliIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JAR = System.getProperty("jgql.cli.jar");
    private static final String LAUNCHER = System.getProperty("jgql.cli.launcher");
    private static final String HOSTS_FILE = System.getProperty("jgql.cli.hostsFile");

    private static CountriesServer backend;
    private static String http;
    private static String ws;

    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path files;

    @BeforeAll
    static void startBackend() {
        assertThat(Path.of(JAR)).as("the packaged jar (run the ITs with mvn verify)").isRegularFile();
        backend = CountriesServer.start(0);
        http = backend.httpUri().toString();
        ws = backend.webSocketUri().toString();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What a finished process printed and returned. */
    record Result(int status, String out, String err) {
    }

    /** A started process whose output goes to files that can be read while it runs. */
    private final class Started {
        final Process process;
        final Path out;
        final Path err;

        Started(List<String> command, String stdin) throws IOException {
            out = Files.createTempFile(files, "out", ".txt");
            err = Files.createTempFile(files, "err", ".txt");
            process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            processes.add(process);
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        String out() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        Result await() throws Exception {
            assertThat(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the process ended in time").isTrue();
            return new Result(process.exitValue(), out(), Files.readString(err, StandardCharsets.UTF_8));
        }
    }

    private Result jar(String stdin, String... args) throws Exception {
        return new Started(command(List.of(), args), stdin).await();
    }

    private static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void theDocumentOnStandardInputGivesCompactUtf8JsonOnStandardOutput() throws Exception {
        Result result = jar("{ country(code: \"GR\") { name native } }", http);

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"country\":{\"name\":\"Greece\",\"native\":\"Ελλάδα\"}}\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void theJarCarriesTheVertxEngine() throws Exception {
        Result result = jar("{ country(code: \"GR\") { name } }", http, "--engine", "vertx");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"country\":{\"name\":\"Greece\"}}\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void variablesAndAMutation() throws Exception {
        long before = backend.counter();

        Result result = jar("mutation($by: Int) { increment(by: $by) }", http, "-V", "by:5");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"increment\":" + (before + 5) + "}\n");
        assertThat(backend.counter()).isEqualTo(before + 5);
    }

    @Test
    void eachExitCode() throws Exception {
        Result graphqlErrors = jar("{ continent(code: \"EU\") { nme } }", http);
        Result syntax = jar("{ continent(code: \"EU\" { name } }", http);
        Result usage = jar("{ counter }", http, "--bogus");
        Result refused = jar("{ counter }", "http://127.0.0.1:" + CliRunner.closedPort() + "/graphql");
        Result unknownHost = new Started(command(List.of("-Djdk.net.hosts.file=" + HOSTS_FILE),
                "http://no-such-host.invalid/graphql"), "{ counter }").await();
        Result timeout = jar("{ slow(ms: 20000) }", http, "--execute-timeout", "0.5");

        assertThat(graphqlErrors.status()).isEqualTo(1);
        assertThat(graphqlErrors.err()).contains("GraphQL error:").contains("'nme'");
        assertThat(syntax.status()).isEqualTo(1);
        assertThat(syntax.err()).contains("line 1, column 24").contains("  1 | { continent(code: \"EU\" { name } }");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).startsWith("jgql: error: Unknown option: '--bogus'");
        assertThat(refused.status()).isEqualTo(3);
        assertThat(refused.err()).contains("connection refused");
        assertThat(unknownHost.status()).isEqualTo(3);
        assertThat(unknownHost.err()).contains("Unknown host");
        assertThat(timeout.status()).isEqualTo(4);
        assertThat(timeout.err()).contains("within the execute timeout of 500 ms");
        for (Result result : List.of(graphqlErrors, syntax, usage, refused, unknownHost, timeout)) {
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void anHttp500ExitsWith3() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            server.enqueue(Response.text(500, "text/plain", "upstream exploded"));

            Result result = jar("{ counter }", server.uri().toString());

            assertThat(result.status()).isEqualTo(3);
            assertThat(result.err()).contains("HTTP 500").contains("upstream exploded");
        }
    }

    /**
     * A process started in the background of a shell without job control ({@code cmd &} in a script)
     * ignores SIGINT, and so does everything it starts, jgql included: there Ctrl-C cannot reach jgql
     * by design, and the tests of it say so instead of failing.
     */
    private static void assumeSigintIsNotIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeThat(status).as("Linux /proc, to read the signal dispositions").exists();
        long ignored = Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
                .mapToLong(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16)).findFirst().orElse(0);
        assumeThat(ignored & (1L << 1)).as("SIGINT is ignored by this JVM (started with cmd & by a script), so by "
                + "the processes it starts").isZero();
    }

    @Test
    void ctrlCEndsASubscriptionCleanlyOnTheServerAndExitsWith0() throws Exception {
        assumeThat(Path.of("/bin/kill")).as("a kill command to send SIGINT").exists();
        assumeSigintIsNotIgnored();
        Started running = new Started(command(List.of(), ws, "-q",
                "subscription { countdown(from: 100000, intervalMs: 20) }"), null);
        await().atMost(LIMIT).until(() -> running.out().lines().count() >= 3);
        assertThat(backend.activeCountdowns()).isEqualTo(1);

        Process kill = new ProcessBuilder("/bin/kill", "-INT", String.valueOf(running.process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Result result = running.await();

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out().lines().limit(2)).containsExactly("{\"countdown\":100000}", "{\"countdown\":99999}");
        await().atMost(LIMIT).until(() -> backend.activeCountdowns() == 0);
    }

    @Test
    void sigtermDoesTheSame() throws Exception {
        Started running = new Started(command(List.of(), ws, "-q",
                "subscription { countdown(from: 100000, intervalMs: 20) }"), null);
        await().atMost(LIMIT).until(() -> running.out().lines().count() >= 2);

        running.process.destroy(); // SIGTERM
        Result result = running.await();

        assertThat(result.status()).as(result.err()).isZero();
        await().atMost(LIMIT).until(() -> backend.activeCountdowns() == 0);
    }

    @Test
    void theLauncherScriptRunsTheJar() throws Exception {
        assumeThat(Path.of("/bin/bash")).exists();

        Result result = new Started(List.of("/bin/bash", LAUNCHER, http, "-q", "{ continent(code: \"AN\") { name } }"),
                null).await();
        Result version = new Started(List.of("/bin/bash", LAUNCHER, "--version"), null).await();

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"continent\":{\"name\":\"Antarctica\"}}\n");
        assertThat(version.out()).startsWith("jgql ");
    }

    // ---- on a real terminal (a pseudo-terminal made by util-linux's script) ---------------------------

    private static List<String> inTerminal(List<String> command) {
        String line = command.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        // exec: jgql itself, not the user's $SHELL around it, is what the terminal's Ctrl-C reaches. A shell left
        // waiting (dash, as /bin/sh) kills itself with the SIGINT once jgql exits, and script reports 130.
        return List.of("/usr/bin/script", "-qfec", "exec " + line, "/dev/null");
    }

    @Test
    void onATerminalTheOutputIsPrettyAndColoured() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).as("util-linux script, for a pseudo-terminal").exists();

        Result result = new Started(inTerminal(command(List.of(), http, "-q", "{ continent(code: \"EU\") { name } }")),
                null).await();

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("\u001b[1;34m\"continent\"\u001b[0m: {")
                .contains("\u001b[32m\"Europe\"\u001b[0m");
    }

    @Test
    void interactiveModeOnARealTerminal() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).as("util-linux script, for a pseudo-terminal").exists();
        assumeSigintIsNotIgnored();
        Started running = new Started(inTerminal(command(List.of(), ws, "--history", "none")), null);
        OutputStream keyboard = running.process.getOutputStream();
        await().atMost(LIMIT).until(() -> running.out().contains("\\help for help"));

        keyboard.write("query {\r  continent(code: \"SA\") { name }\r}\r".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        await().atMost(LIMIT).until(() -> running.out().contains("South America"));
        keyboard.write("subscription { countdown(from: 100000, intervalMs: 20) }\r".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        await().atMost(LIMIT).until(() -> running.out().replaceAll("\u001b\\[[0-9;]*m", "").contains("{\"countdown\":99998}"));
        keyboard.write(3); // Ctrl-C: the terminal sends SIGINT, which ends the subscription, not jgql
        keyboard.flush();
        await().atMost(LIMIT).until(() -> backend.activeCountdowns() == 0);
        keyboard.write("\\q\r".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        Result result = running.await();

        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("[connected]").contains("127.0.0.1:" + backend.port() + "/graphql> ");
    }
}
