package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.countries.CountriesServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --engine jdk|vertx}: parsed, refused when unknown, and carried through to the transport that runs. */
@Timeout(60)
class MainEngineOptionTest {

    @Test
    void theEngineIsJdkUnlessVertxIsAskedFor() throws Exception {
        assertThat(Main.parse(new String[] {"console"}).engine()).isEqualTo("jdk");
        assertThat(Main.parse(new String[] {"console", "--engine", "vertx"}).engine()).isEqualTo("vertx");
        assertThat(Main.parse(new String[] {"--engine", "JDK", "web"}).engine()).isEqualTo("jdk");
    }

    @Test
    void anUnknownEngineIsAUsageError() {
        assertThatThrownBy(() -> Main.parse(new String[] {"console", "--engine", "netty"}))
                .isInstanceOf(Main.UsageException.class).hasMessage("--engine is jdk or vertx, not 'netty'");
        assertThatThrownBy(() -> Main.parse(new String[] {"console", "--engine"})).hasMessageContaining("--engine needs a value");
    }

    @Test
    void theTransportRunsOnTheChosenEngine() {
        assertThat(Main.transportFor(URI.create("http://127.0.0.1:1/graphql"), "vertx").toString()).contains("VertxEngine");
        assertThat(Main.transportFor(URI.create("ws://127.0.0.1:1/graphql"), "vertx").toString()).contains("VertxEngine");
        assertThat(Main.transportFor(URI.create("http://127.0.0.1:1/graphql"), "jdk").toString()).contains("JdkEngine");
    }

    @Test
    void theConsoleAnswersOnTheVertxEngineOverHttpAndWebSocket() {
        try (CountriesServer backend = CountriesServer.start(0)) {
            for (URI uri : new URI[] {backend.httpUri(), backend.webSocketUri()}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();

                int status = Main.run(new String[] {"console", "--engine", "vertx", "--backend", uri.toString()},
                        new ByteArrayInputStream("EU\nexit\n".getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

                assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("The continent name is Europe");
            }
        }
    }
}
