package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.Reconnect;
import dev.jgql.TransportException;
import dev.jgql.examples.TestSupport.Backend;
import dev.jgql.examples.TestSupport.Link;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private static final String VALID_CODES = "Please enter a valid continent code from [AF, AN, AS, EU, NA, OC, SA]\n";

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
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
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
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Started the embedded countries backend at http://");
    }

    @Test
    void theCommandLineUsesAWebSocketBackendForAWsUrl() {
        backend = Backend.running();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"console", "--backend", Link.WS.uri(backend.port()).toString()},
                new ByteArrayInputStream("AN\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("The continent name is Antarctica");
    }
}
