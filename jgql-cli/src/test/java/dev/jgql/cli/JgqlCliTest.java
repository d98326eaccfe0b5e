package dev.jgql.cli;

import static dev.jgql.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.ScriptedHttpServer;
import dev.jgql.testkit.ScriptedHttpServer.RecordedRequest;
import dev.jgql.testkit.ScriptedHttpServer.Response;
import dev.jgql.testkit.ScriptedWebSocketConnection;
import dev.jgql.testkit.ScriptedWebSocketServer;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process against the embedded countries backend and scripted servers: one-shot mode. */
@Timeout(60)
class JgqlCliTest {
    private static CountriesServer backend;
    private static String http;
    private static String ws;

    @TempDir
    Path files;

    @BeforeAll
    static void startBackend() {
        backend = CountriesServer.start(0);
        http = backend.httpUri().toString();
        ws = backend.webSocketUri().toString();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
        CliRunner.awaitNoJgqlThreads();
    }

    // ---- documents, variables, headers -----------------------------------------------------------

    @Test
    void runsTheDocumentFromStandardInputAndPrintsCompactJsonWhenPiped() throws Exception {
        CliRunner.Result result = run("{ continent(code: \"EU\") { name } }", http);

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("{\"continent\":{\"name\":\"Europe\"}}\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void takesTheDocumentFromAnArgumentOrAFile() throws Exception {
        Path file = Files.writeString(files.resolve("q.graphql"), "query { country(code: \"GR\") { native } }");

        assertThat(run("", http, "-q", "{ country(code: \"FR\") { capital } }").out())
                .isEqualTo("{\"country\":{\"capital\":\"Paris\"}}\n");
        assertThat(run("", http, "-f", file.toString()).out()).isEqualTo("{\"country\":{\"native\":\"Ελλάδα\"}}\n");
    }

    @Test
    void variablesAreJsonWhenTheyParseAndTextForStringAndIdVariables() throws Exception {
        CliRunner.Result result = run("", http, "-q",
                "query($code: ID!, $ms: Int!) { country(code: $code) { name } slow(ms: $ms) }", "-V", "code:FR",
                "-V", "ms:1");

        // $ms went as the number 1: the text "1" would fail the server's validation of an Int!
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"country\":{\"name\":\"France\"},\"slow\":\"ok\"}\n");
        // -V of a variable the operation does not declare is sent, with a warning
        CliRunner.Result undeclared = run("", http, "-q", "{ counter }", "-V", "nope:1");
        assertThat(undeclared.status()).isZero();
        assertThat(undeclared.err()).contains("warning: the operation declares no variable $nope");
    }

    @Test
    void aVariablesFileIsReadAndMinusVWinsOverIt() throws Exception {
        Path variables = Files.writeString(files.resolve("vars.json"), "{\"code\": \"DE\", \"other\": \"x\"}");
        String query = "query($code: ID!) { country(code: $code) { name } }";

        assertThat(run("", http, "-q", query, "--variables-file", variables.toString()).out())
                .isEqualTo("{\"country\":{\"name\":\"Germany\"}}\n");
        assertThat(run("", http, "-q", query, "--variables-file", variables.toString(), "-V", "code:IT").out())
                .isEqualTo("{\"country\":{\"name\":\"Italy\"}}\n");
    }

    @Test
    void theOperationNameChoosesAmongSeveralOperations() throws Exception {
        String document = "query A { continent(code: \"AF\") { name } } query B { continent(code: \"AS\") { name } }";

        assertThat(run(document, http, "-o", "B").out()).isEqualTo("{\"continent\":{\"name\":\"Asia\"}}\n");
        CliRunner.Result unnamed = run(document, http);
        assertThat(unnamed.status()).isEqualTo(1);
        assertThat(unnamed.err()).contains("2 operations [A, B]");
        CliRunner.Result unknown = run(document, http, "-o", "C");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no operation named 'C'");
    }

    @Test
    void headersAreSentWithEveryRequest() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            server.enqueue(Response.json(200, "{\"data\":{\"me\":\"ok\"}}"));

            CliRunner.Result result = run("{ me }", server.uri().toString(), "-H", "Authorization: Bearer s3cret",
                    "-H", "X-Trace:  abc ");

            assertThat(result.status()).isZero();
            assertThat(result.out()).isEqualTo("{\"me\":\"ok\"}\n");
            RecordedRequest request = server.takeRequest(CliRunner.WAIT);
            assertThat(request.header("Authorization")).contains("Bearer s3cret");
            assertThat(request.header("X-Trace")).contains("abc");
        }
    }

    @Test
    void fullResponsePrintsErrorsDataAndExtensions() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            server.enqueue(Response.json(200, "{\"errors\":[{\"message\":\"partly\",\"path\":[\"b\"]}],"
                    + "\"data\":{\"a\":1,\"b\":null},\"extensions\":{\"cost\":7}}"));

            CliRunner.Result result = run("{ a b }", server.uri().toString(), "--full-response");

            assertThat(result.status()).isEqualTo(1);
            assertThat(result.out()).isEqualTo("{\"errors\":[{\"message\":\"partly\",\"path\":[\"b\"]}],"
                    + "\"data\":{\"a\":1,\"b\":null},\"extensions\":{\"cost\":7}}\n");
            assertThat(result.err()).isEqualTo("jgql: GraphQL error: partly at b\n");
        }
    }

    // ---- output ---------------------------------------------------------------------------------

    @Test
    void onATerminalTheJsonIsIndentedAndColoured() throws Exception {
        CliRunner.Result result = run("{ continent(code: \"EU\") { name } }",
                context -> context.withTerminals(false, true, true), http);

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("{\n  \u001b[1;34m\"continent\"\u001b[0m: {\n"
                + "    \u001b[1;34m\"name\"\u001b[0m: \u001b[32m\"Europe\"\u001b[0m\n  }\n}\n");
    }

    @Test
    void noColorAndExplicitFormatsWin() throws Exception {
        CliRunner.Result noColor = run("{ continent(code: \"EU\") { name } }",
                context -> context.withTerminals(false, true, true).withEnvironment(Map.of("NO_COLOR", "1")), http);
        assertThat(noColor.out()).isEqualTo("{\n  \"continent\": {\n    \"name\": \"Europe\"\n  }\n}\n");

        CliRunner.Result compact = run("{ continent(code: \"EU\") { name } }",
                context -> context.withTerminals(false, true, true), http, "--format", "compact", "--color", "never");
        assertThat(compact.out()).isEqualTo("{\"continent\":{\"name\":\"Europe\"}}\n");

        CliRunner.Result forced = run("{ counter }", http, "--color", "always");
        assertThat(forced.out()).contains("\u001b[36m");
    }

    // ---- bad input and exit codes -----------------------------------------------------------------

    @Test
    void aSyntaxErrorShowsLineAndColumnAndSendsNothing() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            CliRunner.Result result = run("query {\n  continent(code: \"EU\" { name }\n}", server.uri().toString());

            assertThat(result.status()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).contains("line 2, column 24")
                    .contains("  2 |   continent(code: \"EU\" { name }\n    |                        ^\n");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void graphqlErrorsFromTheServerExitWith1AndGoToStandardError() throws Exception {
        CliRunner.Result result = run("{ continent(code: \"EU\") { nme } }", http);

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("jgql: GraphQL error: ").contains("'nme'").contains("(line 1, column 27)");
    }

    @Test
    void anUnknownHostExitsWith3AndSaysSo() throws Exception {
        // The test JVM resolves names from a hosts file only (see the pom): no DNS query leaves the machine.
        CliRunner.Result result = run("{ counter }", "http://no-such-host.invalid/graphql");

        assertThat(result.status()).isEqualTo(3);
        assertThat(result.err()).contains("Unknown host").contains("no-such-host.invalid").contains("not sent");
    }

    @Test
    void aRefusedPortExitsWith3OverHttpAndWebSocket() throws Exception {
        int port = CliRunner.closedPort();

        CliRunner.Result overHttp = run("{ counter }", "http://127.0.0.1:" + port + "/graphql");
        CliRunner.Result overWebSocket = run("{ counter }", "ws://127.0.0.1:" + port + "/graphql");

        assertThat(overHttp.status()).isEqualTo(3);
        assertThat(overHttp.err()).contains("connection refused");
        assertThat(overWebSocket.status()).isEqualTo(3);
        assertThat(overWebSocket.err()).contains("127.0.0.1:" + port);
    }

    @Test
    void anHttp500ThatIsNotGraphQLExitsWith3AndOneWithGraphQLErrorsWith1() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            server.enqueue(Response.html(500, "<html><body>Internal Server Error</body></html>"));
            server.enqueue(Response.json(500, "{\"errors\":[{\"message\":\"resolver exploded\"}]}"));

            CliRunner.Result html = run("{ counter }", server.uri().toString());
            CliRunner.Result graphql = run("{ counter }", server.uri().toString());

            assertThat(html.status()).isEqualTo(3);
            assertThat(html.err()).contains("HTTP 500").contains("Internal Server Error");
            assertThat(graphql.status()).isEqualTo(1);
            assertThat(graphql.err()).isEqualTo("jgql: GraphQL error: resolver exploded\n");
        }
    }

    @Test
    void noAnswerWithinTheExecuteTimeoutExitsWith4AndTheSpinnerShowedTheWait() throws Exception {
        FakeScheduler time = new FakeScheduler();
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            server.enqueue(Response.noResponse());
            CliRunner.Running running = CliRunner.start("{ counter }",
                    context -> context.withTerminals(false, false, true).withScheduler(time, time.clock()),
                    server.uri().toString(), "--execute-timeout", "3");

            // The CLI starts on its own thread: run fake time's due tasks until its request is in (a real, bounded wait).
            await().atMost(CliRunner.WAIT).until(() -> {
                time.runDueTasks();
                return server.requestCount() > 0;
            });
            RecordedRequest request = server.takeRequest(CliRunner.WAIT);
            assertThat(request.body()).as("the request reached the server").contains("counter");
            time.advance(Duration.ofMillis(1500));
            await().atMost(CliRunner.WAIT).untilAsserted(() -> assertThat(running.err()).contains("waiting for 127.0.0.1:"));
            time.advance(Duration.ofSeconds(2));
            CliRunner.Result result = running.await();

            assertThat(result.status()).isEqualTo(4);
            assertThat(result.err()).contains("| waiting for 127.0.0.1:" + server.port() + "/graphql 1.0s")
                    .contains("\r\u001b[2Kjgql: \u001b[1;31merror:\u001b[0m No answer")
                    .contains("3000 ms");
        } finally {
            time.shutdownNow();
        }
    }

    @Test
    void aBadCommandLineExitsWith2AndSendsNothing() throws Exception {
        try (ScriptedHttpServer server = ScriptedHttpServer.start()) {
            String url = server.uri().toString();
            Map<String, String[]> cases = new TreeMap<>(Map.of(
                    "no URL", new String[] {},
                    "unknown option", new String[] {url, "--bogus"},
                    "bad scheme", new String[] {"ftp://127.0.0.1/graphql"},
                    "no scheme", new String[] {"127.0.0.1:4000/graphql"},
                    "both -q and -f", new String[] {url, "-q", "{ a }", "-f", "x.graphql"},
                    "bad variable", new String[] {url, "-V", "novalue"},
                    "bad header", new String[] {url, "-H", "no colon"},
                    "reserved header", new String[] {url, "-H", "Content-Type: text/plain"},
                    "bad timeout", new String[] {url, "--execute-timeout", "-1"},
                    "missing file", new String[] {url, "-f", files.resolve("absent.graphql").toString()}));
            cases.put("bad engine", new String[] {url, "--engine", "netty"});
            cases.put("schema with document", new String[] {url, "--print-schema", "-q", "{ a }"});
            cases.put("bad schema download", new String[] {url, "--print-schema", "--schema-download", "colours:true"});
            for (Map.Entry<String, String[]> bad : cases.entrySet()) {
                CliRunner.Result result = run("{ a }", bad.getValue());
                assertThat(result.status()).as(bad.getKey() + ": " + result.err()).isEqualTo(2);
                assertThat(result.err()).as(bad.getKey()).startsWith("jgql: error: ");
                assertThat(result.out()).as(bad.getKey()).isEmpty();
            }
            assertThat(server.requestCount()).isZero();
        }
        CliRunner.Result empty = run(" \n ", http);
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("No GraphQL document");
        assertThat(run("", "ftp://x/graphql").err()).contains("http://, https://, ws:// or wss://");
        assertThat(run("", "localhost:4000/graphql").err()).contains("did you mean http://localhost:4000/graphql");
        assertThat(run("", "--engine", "netty", "http://x/graphql").err()).contains("choose one of jdk, vertx");
    }

    @Test
    void sseIsRejectedWithAClearMessage() throws Exception {
        for (String[] args : new String[][] {{"sse://127.0.0.1:1/graphql"}, {http, "--transport", "sse"}}) {
            CliRunner.Result result = run("{ counter }", args);
            assertThat(result.status()).isEqualTo(2);
            assertThat(result.err()).contains("jgql has no SSE transport (graphql-sse) yet");
        }
    }

    @Test
    void helpAndVersionExitWith0() throws Exception {
        CliRunner.Result help = run("", "--help");
        CliRunner.Result version = run("", "--version");

        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: jgql").contains("-V, --variable=NAME:VALUE", "--print-schema",
                "--engine=ENGINE", "jdk", "Exit codes:", "4  timeout");
        assertThat(version.status()).isZero();
        assertThat(version.out()).startsWith("jgql ");
    }

    // ---- subscriptions ------------------------------------------------------------------------------

    @Test
    void aSubscriptionPrintsOneJsonLinePerEventUntilItEnds() throws Exception {
        CliRunner.Result result = run("subscription { countdown(from: 3) }", ws);

        assertThat(result.status()).isZero();
        assertThat(result.lines()).containsExactly("{\"countdown\":3}", "{\"countdown\":2}", "{\"countdown\":1}",
                "{\"countdown\":0}");
        // --transport ws reaches the same endpoint from its http:// URL
        assertThat(run("subscription { countdown(from: 1) }", http, "--transport", "ws").lines())
                .containsExactly("{\"countdown\":1}", "{\"countdown\":0}");
    }

    @Test
    void theVertxEngineRunsQueriesAndSubscriptionsAndFailsLikeTheJdkOne() throws Exception {
        CliRunner.Result query = run("{ country(code: \"FR\") { capital } }", http, "--engine", "vertx");
        CliRunner.Result subscription = run("subscription { countdown(from: 1) }", ws, "--engine", "VERTX");
        CliRunner.Result refused = run("{ counter }", "http://127.0.0.1:" + CliRunner.closedPort() + "/graphql",
                "--engine", "vertx");

        assertThat(query.status()).as(query.err()).isZero();
        assertThat(query.out()).isEqualTo("{\"country\":{\"capital\":\"Paris\"}}\n");
        assertThat(subscription.lines()).containsExactly("{\"countdown\":1}", "{\"countdown\":0}");
        assertThat(refused.status()).isEqualTo(3);
        assertThat(refused.err()).contains("connection refused");
    }

    @Test
    void aSubscriptionOverHttpIsAUsageError() throws Exception {
        CliRunner.Result result = run("subscription { countdown(from: 3) }", http);

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).contains("needs a WebSocket");
    }

    @Test
    void interruptingASubscriptionCompletesItOnTheServerAndExitsWith0() throws Exception {
        CliRunner.Running running = CliRunner.start("subscription { countdown(from: 100000, intervalMs: 20) }",
                context -> context, ws);
        await().atMost(CliRunner.WAIT).until(() -> running.out().lines().count() >= 3);
        assertThat(backend.activeCountdowns()).isEqualTo(1);

        running.context.interrupter().interrupt();
        CliRunner.Result result = running.await();

        assertThat(result.status()).isZero();
        assertThat(result.lines()).startsWith("{\"countdown\":100000}", "{\"countdown\":99999}");
        await().atMost(CliRunner.WAIT).until(() -> backend.activeCountdowns() == 0);
        CliRunner.awaitNoJgqlThreads();
    }

    @Test
    void ctrlCSendsCompleteForTheSubscriptionBeforeClosingTheSocket() throws Exception {
        try (ScriptedWebSocketServer server = ScriptedWebSocketServer.builder()
                .subprotocols("graphql-transport-ws")
                .onMessage((connection, text) -> {
                    if (text.contains("\"connection_init\"")) {
                        connection.sendText("{\"type\":\"connection_ack\"}");
                    } else if (text.contains("\"subscribe\"")) {
                        String id = text.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                        connection.sendText("{\"type\":\"next\",\"id\":\"" + id + "\",\"payload\":{\"data\":{\"tick\":1}}}");
                        connection.sendText("{\"type\":\"next\",\"id\":\"" + id + "\",\"payload\":{\"data\":{\"tick\":2}}}");
                    }
                })
                .start()) {
            CliRunner.Running running = CliRunner.start("subscription { tick }", context -> context,
                    server.uri().toString());
            await().atMost(CliRunner.WAIT).until(() -> running.out().lines().count() == 2);
            ScriptedWebSocketConnection connection = server.awaitConnection(CliRunner.WAIT);

            running.context.interrupter().interrupt();
            CliRunner.Result result = running.await();

            assertThat(result.status()).isZero();
            assertThat(result.lines()).containsExactly("{\"tick\":1}", "{\"tick\":2}");
            String subscribe = connection.awaitMessageContaining("\"subscribe\"", CliRunner.WAIT);
            String id = subscribe.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            assertThat(connection.awaitMessageContaining("\"complete\"", CliRunner.WAIT)).contains("\"id\":\"" + id + "\"");
            assertThat(connection.awaitCloseFromClient(CliRunner.WAIT).code()).isEqualTo(1000);
        }
    }

    @Test
    void interruptingAQueryCancelsItAndExitsWith130() throws Exception {
        CliRunner.Running running = CliRunner.start("{ slow(ms: 30000) }", context -> context, http);
        await().atMost(CliRunner.WAIT).pollDelay(Duration.ofMillis(200)).until(() -> !running.status.isDone());

        running.context.interrupter().interrupt();
        CliRunner.Result result = running.await();

        assertThat(result.status()).isEqualTo(130);
        assertThat(result.err()).contains("interrupted");
    }

    // ---- schema ---------------------------------------------------------------------------------------

    @Test
    void printSchemaPrintsTheServersSchemaAsSdl() throws Exception {
        CliRunner.Result result = run("", http, "--print-schema");

        assertThat(result.status()).isZero();
        assertThat(fieldsByType(result.out())).isEqualTo(fieldsByType(serverSchema()));
        assertThat(result.out()).contains("countdown(from: Int!, intervalMs: Int = 10): Int!");
    }

    @Test
    void printSchemaCanPrintTheRawIntrospectionJsonAndTuneTheQuery() throws Exception {
        CliRunner.Result json = run("", ws, "--print-schema", "--schema-json", "--schema-download", "descriptions:false");

        assertThat(json.status()).isZero();
        assertThat(json.out()).startsWith("{\"__schema\":").contains("\"name\":\"Continent\"")
                .doesNotContain("Comma-separated calling codes");
    }

    private static String serverSchema() throws Exception {
        try (InputStream in = CountriesServer.class.getResourceAsStream("schema.graphqls")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> fieldsByType(String sdl) {
        TypeDefinitionRegistry registry = new SchemaParser().parse(sdl);
        return registry.getTypes(ObjectTypeDefinition.class).stream().collect(Collectors.toMap(
                ObjectTypeDefinition::getName,
                type -> type.getFieldDefinitions().stream().map(FieldDefinition::getName).sorted()
                        .collect(Collectors.joining(",")),
                (a, b) -> a, TreeMap::new));
    }
}
