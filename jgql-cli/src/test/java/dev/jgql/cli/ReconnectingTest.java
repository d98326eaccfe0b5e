package dev.jgql.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.countries.CountriesServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --reconnecting}: the permanent session, resubscription after a backend restart. */
@Timeout(90)
class ReconnectingTest {

    @AfterAll
    static void nothingLeft() {
        CliRunner.awaitNoJgqlThreads();
    }

    @Test
    void aSubscriptionIsResubscribedAfterTheBackendRestartsAndTheCliSaysSo() throws Exception {
        int port = CliRunner.closedPort();
        CountriesServer first = CountriesServer.start(port);
        CliRunner.Running running;
        try {
            running = CliRunner.start("subscription { countdown(from: 100000, intervalMs: 20) }", context -> context,
                    "ws://127.0.0.1:" + port + "/graphql", "--reconnecting");
            await().atMost(CliRunner.WAIT).until(() -> running.out().lines().count() >= 3);
        } finally {
            first.close();
        }
        await().atMost(CliRunner.WAIT).untilAsserted(() -> assertThat(running.err())
                .contains("jgql: the link to 127.0.0.1:" + port + "/graphql broke; reconnecting"));

        try (CountriesServer second = CountriesServer.start(port)) {
            await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
                assertThat(running.err()).contains("jgql: reconnected to 127.0.0.1:" + port + "/graphql")
                        .contains("jgql: resubscribed after a reconnect; events sent while the link was down are lost");
                // the new operation started over: its first event is printed a second time
                assertThat(running.out().lines().filter("{\"countdown\":100000}"::equals).count()).isEqualTo(2);
            });
            assertThat(second.activeCountdowns()).isEqualTo(1);

            running.context.interrupter().interrupt();
            CliRunner.Result result = running.await();

            assertThat(result.status()).isZero();
            await().atMost(CliRunner.WAIT).until(() -> second.activeCountdowns() == 0);
        }
    }

    @Test
    void queriesRunOnThePermanentSession() throws Exception {
        try (CountriesServer backend = CountriesServer.start(0)) {
            CliRunner.Result result = CliRunner.run("{ continent(code: \"OC\") { name } }", backend.httpUri().toString(),
                    "--reconnecting");

            assertThat(result.status()).isZero();
            assertThat(result.out()).isEqualTo("{\"continent\":{\"name\":\"Oceania\"}}\n");
        }
    }

    @Test
    void withTheBackendDownTheFirstConnectionIsBoundedByTheExecuteTimeout() throws Exception {
        int port = CliRunner.closedPort();

        CliRunner.Result result = CliRunner.run("subscription { countdown(from: 1) }", "ws://127.0.0.1:" + port + "/graphql",
                "--reconnecting", "--execute-timeout", "1");

        assertThat(result.status()).isEqualTo(3);
        assertThat(result.err()).contains("No connection to 127.0.0.1:" + port + "/graphql within 1 s (--execute-timeout)");
    }
}
