package dev.jgql.transport.local;

import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import dev.jgql.transport.support.GraphQLJson;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queries, mutations, errors and closing on the local schema transport, through sessions and on its connection. */
@Timeout(30)
class LocalSchemaTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final GraphQLRequest CONTINENT = gql("query Continent($code: ID!) { continent(code: $code) { name } }");
    private static final GraphQLRequest INCREMENT = gql("mutation Increment($by: Int!) { increment(by: $by) }");
    /** A tiny schema of this test's own: what the customiser and the executor give data fetchers. */
    private static final String PROBE_SDL = """
            type Query {
              whoami: String
              root: String
              thread: String
              echo(value: String): String
              pending: String
            }""";

    private final LocalCountries backend = new LocalCountries();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final TransportContext context = TransportContext.of(scheduler, scheduler.clock(), GraphQLJson.defaultMapper());
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** Futures the probe schema's {@code pending} field hands out, completed at the end so nothing is left waiting. */
    private final List<CompletableFuture<String>> pending = new ArrayList<>();

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(0, resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        pending.forEach(future -> future.complete("released"));
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private Client client(LocalSchemaTransport transport) {
        return closeLater(Client.builder().transport(transport).build());
    }

    private GraphQL probeSchema() {
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().type("Query", type -> type
                        .dataFetcher("whoami", env -> env.getGraphQlContext().get("user"))
                        .dataFetcher("root", env -> env.getSource())
                        .dataFetcher("thread", env -> Thread.currentThread().getName())
                        .dataFetcher("echo", env -> env.getArgument("value"))
                        .dataFetcher("pending", env -> {
                            CompletableFuture<String> future = new CompletableFuture<>();
                            synchronized (pending) {
                                pending.add(future);
                            }
                            return future;
                        }))
                .build();
        return GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(PROBE_SDL), wiring))
                .build();
    }

    @Test
    void aPlainSessionRunsQueriesAndMutations() {
        Client client = client(LocalSchemaTransport.of(backend.graphQL()));

        try (Session session = client.connect()) {
            assertThat(session.execute(CONTINENT, Map.of("code", "EU"))).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
            assertThat(session.execute(INCREMENT, Map.of("by", 2))).isEqualTo(Map.of("increment", 2));
            assertThat(session.execute(INCREMENT, Map.of("by", 3))).isEqualTo(Map.of("increment", 5));
        }
        assertThat(backend.counter).as("each mutation applied once").hasValue(5);
    }

    @Test
    void thePermanentSessionConnectsAtOnceAndRunsQueriesAndMutations() {
        Client client = client(LocalSchemaTransport.of(backend.graphQL()));

        ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();

        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(session.execute(CONTINENT, Map.of("code", "AF")).join()).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
        assertThat(client.session().execute(INCREMENT, Map.of("by", 4)).join()).isEqualTo(Map.of("increment", 4));
        client.closeAsync().join();
        assertThat(session.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void graphQLErrorsAreANormalResultWithThemAndSessionsRaiseThemWithThePartialData() {
        GraphQLRequest broken = gql("{ country(code: \"XX\") { name } continent(code: \"EU\") { name } }");
        TransportConnection connection = LocalSchemaTransport.of(backend.graphQL()).connect(context).join();

        ExecutionResult result = connection.execute(broken).join();

        assertThat(result.isDataPresent()).isTrue();
        assertThat(result.data()).containsEntry("continent", Map.of("name", "Europe")).containsEntry("country", null);
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.message()).contains("no data for XX");
            assertThat(error.path()).containsExactly("country");
            assertThat(error.locations()).containsExactly(new GraphQLError.Location(1, 3));
        });
        connection.close().join();

        try (Session session = client(LocalSchemaTransport.of(backend.graphQL())).connect()) {
            assertThatThrownBy(() -> session.execute(broken)).isInstanceOfSatisfying(TransportQueryException.class, e -> {
                assertThat(e.getMessage()).contains("1 GraphQL error", "no data for XX");
                assertThat(e.data()).containsEntry("continent", Map.of("name", "Europe"));
            });
        }
    }

    @Test
    void aDocumentTheSchemaRejectsIsARequestErrorWithoutData() {
        TransportConnection connection = LocalSchemaTransport.of(backend.graphQL()).connect(context).join();

        ExecutionResult result = connection.execute(gql("{ continent(code: \"EU\") { nam } }")).join();

        assertThat(result.isDataPresent()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.message()).contains("Validation error", "'nam'");
            assertThat(error.extensions()).containsEntry("classification", "ValidationError");
        });
        connection.close().join();
    }

    @Test
    void anExceptionThatEscapesExecutionIsANonRetryableTransportExceptionWithItsCause() {
        AtomicInteger prepared = new AtomicInteger();
        LocalSchemaTransport transport = LocalSchemaTransport.builder(backend.graphQL())
                .executionInput((request, input) -> {
                    prepared.incrementAndGet();
                    throw new IllegalStateException("no tenant for " + request.selectedOperationName().orElse("?"));
                })
                .build();
        TransportConnection connection = transport.connect(context).join();

        assertThatThrownBy(() -> connection.execute(CONTINENT.withVariables(Map.of("code", "EU"))).join())
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e).isNotInstanceOf(TransportQueryException.class).isNotInstanceOf(TransportClosedException.class);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("The local schema failed to execute", "query Continent",
                            "no tenant for Continent");
                    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
                });
        connection.close().join();

        // The permanent session's default execute policy does not retry it.
        ReconnectingSession session = client(transport).connectAsync(Reconnect.defaults()).join();
        prepared.set(0);
        assertThatThrownBy(() -> session.execute(CONTINENT, Map.of("code", "EU")).join())
                .cause().isInstanceOf(TransportException.class).hasMessageContaining("no tenant for Continent");
        assertThat(prepared).hasValue(1);
    }

    @Test
    void theExecutionInputCustomiserGivesARootValueAndAContext() {
        LocalSchemaTransport transport = LocalSchemaTransport.builder(probeSchema())
                .executionInput((request, input) -> input.root("the root").graphQLContext(Map.of("user", "alice")))
                .build();

        try (Session session = client(transport).connect()) {
            assertThat(session.execute(gql("{ whoami root }"))).isEqualTo(Map.of("whoami", "alice", "root", "the root"));
        }
    }

    @Test
    void operationsStartOnTheCallingThreadOrOnTheExecutorGiven() throws Exception {
        try (Session session = client(LocalSchemaTransport.of(probeSchema())).connect()) {
            assertThat(session.execute(gql("{ thread }"))).containsEntry("thread", Thread.currentThread().getName());
        }

        ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "local-schema-test"));
        try {
            LocalSchemaTransport transport = LocalSchemaTransport.builder(probeSchema()).executor(executor).build();
            try (Session session = client(transport).connect()) {
                assertThat(session.execute(gql("{ thread }"))).containsEntry("thread", "local-schema-test");
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void variablesReachTheSchemaAsTheJsonMapperWritesThem() {
        UUID id = UUID.fromString("6f1c2e0a-2b4d-4c8e-9f00-1a2b3c4d5e6f");
        TransportConnection connection = LocalSchemaTransport.of(probeSchema()).connect(context).join();
        GraphQLRequest echo = gql("query Echo($value: String) { echo(value: $value) }");

        // A UUID is not a String to graphql-java; on the wire it is a JSON string.
        assertThat(connection.execute(echo.withVariables(Map.of("value", id))).join().data())
                .isEqualTo(Map.of("echo", id.toString()));
        assertThatThrownBy(() -> connection.execute(echo.withVariables(Map.of("value", new Object()))).join())
                .cause().isInstanceOf(TransportException.class)
                .hasMessageContaining("Could not serialise the variables of the query Echo to JSON")
                .hasMessageContaining("nothing was run");
        connection.close().join();
    }

    @Test
    void closingEndsPendingCallsAndTheConnectionRefusesNewOnes() {
        TransportConnection connection = LocalSchemaTransport.of(probeSchema()).connect(context).join();
        CompletableFuture<ExecutionResult> waiting = connection.execute(gql("query Waiting { pending }"));
        assertThat(waiting).isNotDone();
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.whenClosed().toCompletableFuture()).isNotDone();

        connection.close().join();

        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(waiting::join).cause().isExactlyInstanceOf(TransportClosedException.class)
                .hasMessageContaining("closed by the client while the query Waiting was running; it may have been applied");
        assertThat(connection.whenClosed().toCompletableFuture().join())
                .isExactlyInstanceOf(TransportClosedException.class).hasMessageContaining("closed by the client");
        assertThatThrownBy(() -> connection.execute(gql("{ whoami }")).join()).cause()
                .isInstanceOfSatisfying(TransportConnectionFailedException.class,
                        e -> assertThat(e.requestMayHaveBeenSent()).isFalse());
        assertThat(connection.close()).isCompleted(); // idempotent
    }

    @Test
    void cancellingAnExecuteEndsItsFutureAndLeavesTheConnectionUsable() {
        TransportConnection connection = LocalSchemaTransport.of(probeSchema()).connect(context).join();
        CompletableFuture<ExecutionResult> waiting = connection.execute(gql("{ pending }"));

        assertThat(waiting.cancel(true)).isTrue();

        assertThat(waiting).isCancelled();
        assertThat(connection.execute(gql("{ whoami }")).join().data()).containsEntry("whoami", null);
        connection.close().join();
    }

    @Test
    void executeRefusesASubscriptionWithTheWayOut() {
        TransportConnection connection = LocalSchemaTransport.of(backend.graphQL()).connect(context).join();

        assertThatThrownBy(() -> connection.execute(gql("subscription { countdown(from: 1) }")).join())
                .cause().isInstanceOf(JgqlUsageException.class).hasMessageContaining("use subscribe");
        assertThat(backend.countdownsStarted).hasValue(0);
        connection.close().join();
    }

    @Test
    void aTransportMadeFromASchemaRunsOnItAndConnectsAtOnce() {
        LocalSchemaTransport transport = LocalSchemaTransport.of(backend.schema());

        CompletableFuture<TransportConnection> connecting = transport.connect(context);

        assertThat(connecting).isCompleted();
        assertThat(connecting.join().execute(gql("{ counter }")).join().data()).isEqualTo(Map.of("counter", 0));
        assertThat(transport).hasToString("LocalSchemaTransport{Query}");
        connecting.join().close().join();
        assertThat(scheduler.advance(WAIT)).as("no timers").isZero();
    }
}
