package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jgql.Reconnect;
import dev.jgql.TransportException;
import dev.jgql.examples.TestSupport.Backend;
import dev.jgql.examples.TestSupport.Link;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class ContinentConsoleTest {
    /** Short, so the failure while the backend is down comes quicker; the default is 10 s. */
    private static final Duration EXECUTE_TIMEOUT = Duration.ofSeconds(3);
    private static final String PROMPT = "\nPlease enter a continent code or 'exit':";
    /** As the seed prints it: Python's list syntax. */
    private static final String VALID_CODES =
            "Please enter a valid continent code from ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA']\n";

    private Backend backend;
    private GraphQLContinentClient continentClient;

    @AfterEach
    void tearDown() {
        if (continentClient != null) {
            continentClient.close();
        }
        if (backend != null) {
            backend.close();
        }
        TestSupport.awaitNoJgqlThreads();
    }

    private void connect(Link link) {
        backend = Backend.running();
        continentClient = new GraphQLContinentClient(link.transport(backend.port()), EXECUTE_TIMEOUT,
                Reconnect.builder().retryConnect(TestSupport.fastReconnect()).build());
        continentClient.connect();
    }

    /** Runs the loop on this input and returns what it printed, with \n line ends. */
    private String console(String input) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ContinentConsole.run(continentClient, new BufferedReader(new StringReader(input)),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        return output.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void printsTheContinentName(Link link) throws IOException {
        connect(link);

        assertThat(console("EU\nexit\n")).isEqualTo(PROMPT + "The continent name is Europe\n\n" + PROMPT);
    }

    @Test
    void asksForAValidCodeAndIgnoresSurroundingBlanks() throws IOException {
        connect(Link.HTTP);

        assertThat(console("XX\neu\n  AF  \nexit\n")).isEqualTo(
                PROMPT + VALID_CODES
                        + PROMPT + VALID_CODES
                        + PROMPT + "The continent name is Africa\n\n"
                        + PROMPT);
    }

    @Test
    void exitEndsTheLoop() throws IOException {
        connect(Link.HTTP);

        assertThat(console("exit\nEU\n")).isEqualTo(PROMPT);
    }

    @Test
    void endOfInputEndsTheLoopLikeExit() throws IOException {
        connect(Link.HTTP);

        assertThat(console("")).isEqualTo(PROMPT + "\n");
        assertThat(console("SA")).isEqualTo(PROMPT + "The continent name is South America\n\n" + PROMPT + "\n");
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void reportsAFailureAndGoesOnWhileTheBackendIsDown(Link link) throws IOException {
        connect(link);
        backend.stop();

        String output = console("EU\nXX\nexit\n");

        assertThat(output).startsWith(PROMPT + "Received exception ")
                .containsOnlyOnce(" while trying to get continent name\n")
                .endsWith(" while trying to get continent name\n" + PROMPT + VALID_CODES + PROMPT);
        assertThat(output).doesNotContain("Received exception null");

        // The same permanent session serves again once the backend is back.
        backend.start();
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                .untilAsserted(() -> assertThat(console("EU\nexit\n")).contains("The continent name is Europe\n"));
    }

    @Test
    void getContinentNameNeedsAConnectionAndFailsWithTheTransportException() {
        backend = Backend.running();
        continentClient = new GraphQLContinentClient(Link.HTTP.transport(backend.port()), EXECUTE_TIMEOUT,
                Reconnect.builder().retryConnect(TestSupport.fastReconnect()).build());
        assertThatThrownBy(() -> continentClient.getContinentName("EU")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connect()");

        continentClient.connect();
        assertThat(continentClient.getContinentName("OC")).isEqualTo("Oceania");

        backend.stop();
        assertThatThrownBy(() -> continentClient.getContinentName("EU")).isInstanceOf(TransportException.class);
    }

    @Test
    void theCommandLineRunsTheConsoleAgainstTheEmbeddedBackend() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"console"},
                new ByteArrayInputStream("EU\nexit\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"))
                .isEqualTo(PROMPT + "The continent name is Europe\n\n" + PROMPT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Started the embedded countries backend at http://")
                .contains("Ready to send requests to the GraphQL backend at http://127.0.0.1:");
    }

    /** The command line's console on a thread of its own, typed at through a pipe; every wait is bounded. */
    private static final class RunningConsole implements AutoCloseable {
        private final PipedOutputStream keyboard = new PipedOutputStream();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final ExecutorService runner = Executors.newSingleThreadExecutor();
        private final Future<Integer> status;

        RunningConsole(String backendUrl) throws IOException {
            PipedInputStream in = new PipedInputStream(keyboard);
            status = runner.submit(() -> Main.run(new String[] {"console", "--backend", backendUrl}, in,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        }

        void type(String line) throws IOException {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        String out() {
            return text(out);
        }

        String err() {
            return text(err);
        }

        void awaitErr(String text) {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> err().contains(text));
        }

        int status(Duration within) throws Exception {
            return status.get(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws IOException {
            keyboard.close();
            runner.shutdownNow();
            try {
                assertThat(runner.awaitTermination(10, TimeUnit.SECONDS)).as("the console's thread ends").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for the console's thread", e);
            }
        }
    }

    @Test
    void withTheBackendDownTheConsolePromptsSaysWhyAndWhenItRetriesAndQuitsOnExit() throws Exception {
        int deadPort = TestSupport.freePort();
        String url = Link.WS.uri(deadPort).toString();
        try (RunningConsole console = new RunningConsole(url)) {
            // The prompt is there at once, and standard error says what is going on: connecting, the cause of the
            // failure, when the next attempt is, and how to quit.
            console.awaitErr("Next attempt in");
            assertThat(console.out()).isEqualTo(PROMPT);
            assertThat(console.err()).startsWith("Connecting to the GraphQL backend at " + url + "\n")
                    .containsPattern("Cannot reach the GraphQL backend: .*127\\.0\\.0\\.1:" + deadPort
                            + ".* Next attempt in \\d+\\.\\d s; type 'exit' to quit\\.\n");

            console.type("exit");

            assertThat(console.status(Duration.ofSeconds(10))).isZero();
            assertThat(console.out()).isEqualTo(PROMPT);
            // The user quit; nothing failed, and nothing claims otherwise.
            assertThat(console.err()).doesNotContain("Failed").doesNotContain("closed by the application")
                    .doesNotContain("Connected to");
        }
    }

    @Test
    void overHttpWithTheBackendDownATypedCodeShowsTheFailureItsCauseAndTheNextAttemptAndExitStillWorks()
            throws Exception {
        int deadPort = TestSupport.freePort();
        String url = Link.HTTP.uri(deadPort).toString();
        try (RunningConsole console = new RunningConsole(url)) {
            // Over HTTP connecting sends nothing: the prompt and the ready line come at once, and no failure yet.
            console.awaitErr("Ready to send requests");
            await().atMost(Duration.ofSeconds(15)).until(() -> console.out().equals(PROMPT));
            assertThat(console.err()).isEqualTo("Ready to send requests to the GraphQL backend at " + url
                    + " (over HTTP nothing is sent before the first request)\n");

            // A request meets the failure: standard error says so, why, and when the backend is checked next.
            console.type("EU");
            console.awaitErr("Next attempt in");
            assertThat(console.err())
                    .contains("A request could not reach the GraphQL backend at " + url + "; checking until it answers\n")
                    .containsPattern("Cannot reach the GraphQL backend: .*127\\.0\\.0\\.1:" + deadPort
                            + ".* Next attempt in \\d+\\.\\d s; type 'exit' to quit\\.\n");

            console.type("exit");

            // The code's call waits for the backend up to its execute timeout (10 s), then the console reports it
            // as the seed does and reads 'exit'.
            assertThat(console.status(Duration.ofSeconds(30))).isZero();
            assertThat(console.out()).startsWith(PROMPT + "Received exception ")
                    .contains("127.0.0.1:" + deadPort)
                    .endsWith(" while trying to get continent name\n" + PROMPT);
            assertThat(console.err()).doesNotContain("Failed").doesNotContain("closed by the application")
                    .doesNotContain("answers again");
        }
    }

    @Test
    void overHttpACodeTypedWhileTheBackendIsDownGetsItsNameWhenTheBackendAnswersAgain() throws Exception {
        backend = Backend.down();
        String url = Link.HTTP.uri(backend.port()).toString();
        try (RunningConsole console = new RunningConsole(url)) {
            console.awaitErr("Ready to send requests");
            console.type("EU");
            console.awaitErr("Next attempt in");

            backend.start();

            // The waiting call goes out once a check finds the backend back (at least one per second while it waits).
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> console.out().contains("The continent name is Europe\n"));
            assertThat(console.err()).endsWith("The GraphQL backend at " + url + " answers again\n");
            console.type("exit");
            assertThat(console.status(Duration.ofSeconds(10))).isZero();
            assertThat(console.out()).isEqualTo(PROMPT + "The continent name is Europe\n\n" + PROMPT);
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void theCommandLineUsesAWebSocketBackendForAWsUrl() {
        backend = Backend.running();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"console", "--backend", Link.WS.uri(backend.port()).toString()},
                new ByteArrayInputStream("AN\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(text(err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("The continent name is Antarctica");
        assertThat(text(err)).isEqualTo("Connecting to the GraphQL backend at " + Link.WS.uri(backend.port()) + "\n"
                + "Connected to the GraphQL backend at " + Link.WS.uri(backend.port()) + "\n");
    }
}
