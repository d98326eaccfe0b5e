package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.countries.CountriesServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Command line" transcripts are true: each command is run as written (the backend on
 * another port) and must print exactly what the README shows.
 */
@Timeout(180)
class ReadmeTranscriptIT {
    private static final Path REPOSITORY = Path.of(System.getProperty("jgql.repository"));
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Pattern TERMINAL_CONTROLS = Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]|\u001b[=>]|\r");
    private static final Pattern PROMPT = Pattern.compile("^jgql \\[\\w+] \\S+> (.*)$");
    private static final Pattern CONTINUATION = Pattern.compile("^\\s+\\.\\.\\. (.*)$");

    private static CountriesServer backend;
    private static String section;

    @TempDir
    Path files;

    @BeforeAll
    static void setUp() throws Exception {
        String readme = Files.readString(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Command line\n");
        assertThat(start).as("README has a Command line section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        section = readme.substring(start, end);
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    private static List<String> block(String language) {
        int start = section.indexOf("```" + language + "\n");
        assertThat(start).as("a ```" + language + " block").isNotNegative();
        int end = section.indexOf("\n```", start + 1);
        return section.substring(start + language.length() + 4, end).lines().toList();
    }

    /** The README's ports replaced by the test's: 4000 the backend, 4001 a closed port. */
    private static String ports(String text, int closed) {
        return text.replace("127.0.0.1:4000", "127.0.0.1:" + backend.port()).replace("127.0.0.1:4001", "127.0.0.1:" + closed);
    }

    private ProcessBuilder shell(String command) {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", command).directory(REPOSITORY.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
        environment.remove("NO_COLOR");
        return builder;
    }

    @Test
    void theOneShotTranscriptPrintsWhatItShows() throws Exception {
        assumeThat(Path.of("/bin/bash")).exists();
        int closed = CliRunner.closedPort();
        List<String> lines = block("console");
        int i = 0;
        int commands = 0;
        while (i < lines.size()) {
            assertThat(lines.get(i)).startsWith("$ ");
            String command = ports(lines.get(i).substring(2), closed);
            StringBuilder expected = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("$ "); i++) {
                expected.append(ports(lines.get(i), closed)).append('\n');
            }
            Path output = Files.createTempFile(files, "out", ".txt");
            Process process = shell("(" + command + ") 2>&1").redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            try {
                assertThat(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).as(command).isTrue();
            } finally {
                process.destroyForcibly();
            }
            assertThat(Files.readString(output, StandardCharsets.UTF_8)).as(command).isEqualTo(expected.toString());
            commands++;
        }
        assertThat(commands).isEqualTo(6);
    }

    @Test
    void theInteractiveTranscriptPrintsWhatItShows() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).as("util-linux script, for a pseudo-terminal").exists();
        List<String> lines = block("text");
        assertThat(lines.get(0)).startsWith("$ ");
        String command = ports(lines.get(0).substring(2), 0) + " --history none";
        List<List<String>> typed = new ArrayList<>();
        List<Integer> shownBefore = new ArrayList<>(); // how many expected lines precede each typed document
        List<String> expected = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Matcher prompt = PROMPT.matcher(line);
            Matcher continuation = CONTINUATION.matcher(line);
            if (prompt.matches()) {
                typed.add(new ArrayList<>(List.of(prompt.group(1))));
                shownBefore.add(expected.size());
            } else if (continuation.matches()) {
                typed.get(typed.size() - 1).add(continuation.group(1));
            } else {
                expected.add(ports(line, 0));
            }
        }
        Path output = Files.createTempFile(files, "screen", ".txt");
        Process process = shell("exec /usr/bin/script -qfec 'exec " + command + "' /dev/null").redirectOutput(output.toFile())
                .redirectErrorStream(true).start();
        try (OutputStream keyboard = process.getOutputStream()) {
            for (int document = 0; document < typed.size(); document++) {
                List<String> before = expected.subList(0, shownBefore.get(document));
                await().atMost(LIMIT).until(() -> unmatched(screen(output), before) < 0);
                for (String line : typed.get(document)) {
                    keyboard.write((line + "\r").getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                }
            }
            assertThat(process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String screen = screen(output);
        assertThat(unmatched(screen, expected)).as("the first README line not shown, in\n" + screen).isNegative();
        assertThat(process.exitValue()).isZero();
    }

    /**
     * The index of the first expected line that no later screen line contains, in order; -1 when
     * all are there. Containment, not equality: JLine redraws the prompt around lines printed above it.
     */
    private static int unmatched(String screen, List<String> expected) {
        List<String> shown = screen.lines().toList();
        int next = 0;
        for (int i = 0; i < expected.size(); i++) {
            String wanted = expected.get(i);
            while (next < shown.size() && !shown.get(next).contains(wanted)) {
                next++;
            }
            if (next == shown.size()) {
                return i;
            }
            next++;
        }
        return -1;
    }

    private static String screen(Path output) throws Exception {
        return TERMINAL_CONTROLS.matcher(Files.readString(output, StandardCharsets.UTF_8)).replaceAll("");
    }
}
