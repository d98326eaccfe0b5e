package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.countries.CountriesServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Interactive mode on a JLine terminal whose keyboard and screen are the test's pipes. */
@Timeout(60)
class InteractiveTest {
    private static CountriesServer backend;

    @TempDir
    Path files;

    private final java.util.List<Session> sessions = new java.util.ArrayList<>();

    @AfterEach
    void endSessions() throws Exception {
        for (Session session : sessions) {
            session.running.context.interrupter().interrupt();
            session.keyboard.close(); // end of input: Ctrl-D
            session.running.await();
        }
    }

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
        CliRunner.awaitNoJgqlThreads();
    }

    /** A session at the prompt: type into {@link #keyboard}, read {@link #screen}. */
    private final class Session {
        final PipedOutputStream keyboard = new PipedOutputStream();
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final CliRunner.Running running;

        Session(String url, String... options) throws IOException {
            PipedInputStream keys = new PipedInputStream(keyboard, 64 * 1024);
            String[] args = new String[options.length + 3];
            args[0] = url;
            args[1] = "-i";
            args[2] = "--history=" + files.resolve("history");
            System.arraycopy(options, 0, args, 3, options.length);
            running = CliRunner.start("", context -> context.withTerminalFactory(
                    () -> new DumbTerminal("test", "dumb", keys, screen, StandardCharsets.UTF_8)), args);
            sessions.add(this);
        }

        void type(String text) throws IOException {
            keyboard.write(text.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        String screen() {
            return screen.toString(StandardCharsets.UTF_8);
        }

        void awaitScreen(String text) {
            await().atMost(CliRunner.WAIT).untilAsserted(() -> assertThat(screen()).contains(text));
        }

        int quit() throws Exception {
            type("\\q\n");
            return running.await().status();
        }
    }

    @Test
    void runsEachDocumentOnOnePermanentSessionAndShowsItsState() throws Exception {
        Session session = new Session(backend.httpUri().toString());
        session.awaitScreen("\\help for help, Ctrl-D to quit.");

        session.type("{ continent(code: \"EU\") { name } }\n");
        session.awaitScreen("\"name\": \"Europe\"");
        session.type("{ continent(code: \"NA\") { name } }\n");
        session.awaitScreen("\"name\": \"North America\"");

        assertThat(session.quit()).isZero();
        assertThat(session.screen()).contains("jgql [connected] 127.0.0.1:" + backend.port() + "/graphql> ")
                .contains("{\n  \"continent\": {\n    \"name\": \"Europe\"\n  }\n}");
    }

    @Test
    void aDocumentCanSpanSeveralLinesAndGoesIntoTheHistory() throws Exception {
        Session session = new Session(backend.httpUri().toString());

        session.type("query {\n  country(code: \"JP\") {\n    name\n  }\n}\n");
        session.awaitScreen("\"name\": \"Japan\"");

        assertThat(session.quit()).isZero();
        assertThat(session.screen()).doesNotContain("error");
        assertThat(Files.readString(files.resolve("history"))).contains("country(code: \"JP\")");
    }

    @Test
    void variablesErrorsAndCommands() throws Exception {
        Session session = new Session(backend.httpUri().toString(), "-V", "code:BR");

        session.type("query($code: ID!) { country(code: $code) { name } }\n");
        session.awaitScreen("\"name\": \"Brazil\"");
        session.type("\\set code:CL\nquery($code: ID!) { country(code: $code) { name } }\n");
        session.awaitScreen("\"name\": \"Chile\"");
        session.type("{ counter }\n"); // declares no variable: none is sent
        session.awaitScreen("\"counter\": ");
        session.type("{ country(code: \"FR\" { name } }\n\n"); // unbalanced: the empty line runs it
        session.awaitScreen("|                      ^");
        session.type("\\vars\n\\nope\n\\help\n");
        session.awaitScreen("\\set NAME:VALUE");

        assertThat(session.quit()).isZero();
        assertThat(session.screen()).contains("code:CL").contains("Unknown command \\nope")
                .contains("Invalid GraphQL document at line 1, column 22");
    }

    @Test
    void aSubscriptionPrintsEventsUntilCtrlCThenThePromptComesBack() throws Exception {
        Session session = new Session(backend.webSocketUri().toString());

        session.type("subscription { countdown(from: 100000, intervalMs: 20) }\n");
        session.awaitScreen("{\"countdown\":99998}");
        session.running.context.interrupter().interrupt();
        await().atMost(CliRunner.WAIT).until(() -> backend.activeCountdowns() == 0);
        session.type("subscription { countdown(from: 2) }\n");
        session.awaitScreen("{\"countdown\":0}");

        assertThat(session.quit()).isZero();
    }

    @Test
    void theSchemaCommandPrintsSdl() throws Exception {
        Session session = new Session(backend.webSocketUri().toString());

        session.type("\\schema\n");
        session.awaitScreen("type Subscription {");

        assertThat(session.quit()).isZero();
    }
}
