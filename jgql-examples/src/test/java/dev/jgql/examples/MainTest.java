package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @Test
    void parsesTheWebCommandWithItsDefaults() throws Exception {
        Main.Options options = Main.parse(new String[] {"web"});

        assertThat(options).isEqualTo(new Main.Options("web", "127.0.0.1", 8000, null));
    }

    @Test
    void parsesEveryOption() throws Exception {
        Main.Options options = Main.parse(new String[] {"--port", "0", "web", "--backend", "wss://example.org/graphql",
            "--host", "0.0.0.0"});

        assertThat(options).isEqualTo(new Main.Options("web", "0.0.0.0", 0, URI.create("wss://example.org/graphql")));
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatThrownBy(() -> Main.parse(new String[] {})).hasMessageContaining("Missing command");
        assertThatThrownBy(() -> Main.parse(new String[] {"serve"})).hasMessageContaining("Unknown command");
        assertThatThrownBy(() -> Main.parse(new String[] {"web", "console"})).hasMessageContaining("One command");
        assertThatThrownBy(() -> Main.parse(new String[] {"web", "--port"})).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> Main.parse(new String[] {"web", "--port", "x"})).hasMessageContaining("number");
        assertThatThrownBy(() -> Main.parse(new String[] {"web", "--port", "70000"})).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> Main.parse(new String[] {"web", "--verbose"})).hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> Main.parse(new String[] {"console", "--backend", "ftp://host/x"}))
                .hasMessageContaining("http://, https://, ws:// or wss://");
        assertThatThrownBy(() -> Main.parse(new String[] {"console", "--backend", "localhost:8080"}))
                .isInstanceOf(Main.UsageException.class);
    }

    @Test
    void choosesTheTransportByScheme() {
        assertThat(Main.transportFor(URI.create("http://127.0.0.1:1/graphql"))).isInstanceOf(HttpTransport.class);
        assertThat(Main.transportFor(URI.create("HTTPS://example.org/graphql"))).isInstanceOf(HttpTransport.class);
        assertThat(Main.transportFor(URI.create("ws://127.0.0.1:1/graphql"))).isInstanceOf(WebSocketTransport.class);
        assertThat(Main.transportFor(URI.create("wss://example.org/graphql"))).isInstanceOf(WebSocketTransport.class);
    }

    @Test
    void helpPrintsTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(status).isZero();
        // The tests run from target/classes, not from a jar: the usage names the class to run.
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: java dev.jgql.examples.Main <command>")
                .contains("web", "console", "--backend URL", "--port N", "--help")
                .contains("java -Dorg.slf4j.simpleLogger.log.dev.jgql.examples=debug dev.jgql.examples.Main web")
                .doesNotContain("%");
    }

    @Test
    void theUsageNamesTheJarThatRuns(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("jgql-examples-1.2.3.jar"));

        assertThat(Main.command(jar.toUri().toURL(), dir)).isEqualTo("java -jar jgql-examples-1.2.3.jar");
        assertThat(Main.command(jar.toUri().toURL(), dir.getParent()))
                .isEqualTo("java -jar " + dir.getFileName().resolve("jgql-examples-1.2.3.jar"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        assertThat(Main.command(jar.toUri().toURL(), elsewhere)).isEqualTo("java -jar " + jar);
        assertThat(Main.command(dir.toUri().toURL(), dir)).isEqualTo("java dev.jgql.examples.Main");
    }

    @Test
    void theBackendIsShownWithoutCredentials() {
        assertThat(Main.withoutCredentials(URI.create("https://user:secret@example.org:8443/graphql?token=t#x")))
                .isEqualTo("https://example.org:8443/graphql");
        assertThat(Main.withoutCredentials(URI.create("ws://127.0.0.1/graphql"))).isEqualTo("ws://127.0.0.1/graphql");
    }

    @Test
    void aBadCommandLineExitsWith2AndTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"nope"}, new ByteArrayInputStream(new byte[0]), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Unknown command 'nope'").contains("Usage:");
    }
}
