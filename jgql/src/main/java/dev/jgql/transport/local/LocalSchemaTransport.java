package dev.jgql.transport.local;

import dev.jgql.GraphQLRequest;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * A transport that runs every operation in-process, on a graphql-java {@link GraphQL}: queries,
 * mutations and subscriptions, with no server and no socket. The counterpart of gql's
 * {@code LocalSchemaTransport}, for unit tests of code that uses jgql, and for applications that
 * serve their own schema. It behaves as a link to a server would, as the SPI's contract says
 * ({@link TransportConnection}):
 *
 * <ul>
 *   <li>GraphQL errors (validation, a data fetcher that failed) are a normal result that carries
 *       them; sessions turn them into {@link dev.jgql.TransportQueryException} as for any server.
 *   <li>An exception that escapes graphql-java's execution (an instrumentation, the execution
 *       input customiser) fails the call with a {@link dev.jgql.TransportException} that names the
 *       operation, has the exception as its cause, and is not
 *       {@linkplain dev.jgql.TransportException#isRetryable() retryable}.
 *   <li>A subscription's events come from graphql-java's publisher, with the subscriber's demand
 *       passed on to it unchanged (nothing is requested ahead of the subscriber) and its
 *       cancellation too. A subscription refused with errors ends with
 *       {@link dev.jgql.TransportQueryException}; a source stream that fails ends it with a
 *       {@code TransportQueryException} carrying the exception's message, the exception as cause.
 *   <li>Closing the connection ends pending calls and subscriptions with
 *       {@link dev.jgql.TransportClosedException}.
 * </ul>
 *
 * <p>Variables and extensions go through the client's JSON mapper on their way in, as they would
 * on the wire (records and {@code java.time} values arrive as the server would see them); results
 * are graphql-java's own, already serialised by the schema's scalars.
 *
 * <pre>{@code
 * GraphQL graphQL = GraphQL.newGraphQL(schema).build(); // your schema, with your data fetchers
 * Client client = Client.builder().transport(LocalSchemaTransport.of(graphQL)).build();
 * try (Session session = client.connect()) {
 *     Map<String, Object> data = session.execute(Gql.gql("{ continent(code: \"EU\") { name } }"));
 * }
 * }</pre>
 */
public final class LocalSchemaTransport implements Transport {
    final GraphQL graphQL;
    final BiConsumer<GraphQLRequest, ExecutionInput.Builder> executionInput;
    final Executor executor;

    private LocalSchemaTransport(Builder builder) {
        this.graphQL = builder.graphQL;
        this.executionInput = builder.executionInput;
        this.executor = builder.executor;
    }

    /**
     * A transport with the defaults of {@link Builder}.
     *
     * @param graphQL the graphql-java engine to run operations on
     * @return the transport
     */
    public static LocalSchemaTransport of(GraphQL graphQL) {
        return builder(graphQL).build();
    }

    /**
     * A transport on {@code GraphQL.newGraphQL(schema).build()}: graphql-java's default execution
     * strategies and no instrumentation.
     *
     * @param schema an executable schema (with data fetchers)
     * @return the transport
     */
    public static LocalSchemaTransport of(GraphQLSchema schema) {
        return of(GraphQL.newGraphQL(Objects.requireNonNull(schema, "schema")).build());
    }

    /**
     * A builder for a transport on {@code graphQL}.
     *
     * @param graphQL the graphql-java engine to run operations on
     * @return the builder
     */
    public static Builder builder(GraphQL graphQL) {
        return new Builder(Objects.requireNonNull(graphQL, "graphQL"));
    }

    /** Opens a connection at once: there is nothing to reach. */
    @Override
    public CompletableFuture<TransportConnection> connect(TransportContext context) {
        Objects.requireNonNull(context, "context");
        return CompletableFuture.completedFuture(new LocalSchemaConnection(this, context));
    }

    @Override
    public String toString() {
        return "LocalSchemaTransport{" + graphQL.getGraphQLSchema().getQueryType().getName() + "}";
    }

    /**
     * Configures a {@link LocalSchemaTransport}. Not thread-safe; the transport it builds is.
     *
     * <pre>{@code
     * LocalSchemaTransport transport = LocalSchemaTransport.builder(graphQL)
     *         .executionInput((request, input) -> input
     *                 .root(new RootValue())
     *                 .graphQLContext(Map.of("user", "alice")))
     *         .executor(executorService)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final GraphQL graphQL;
        private BiConsumer<GraphQLRequest, ExecutionInput.Builder> executionInput = (request, input) -> { };
        private Executor executor = Runnable::run;

        private Builder(GraphQL graphQL) {
            this.graphQL = graphQL;
        }

        /**
         * Customises graphql-java's {@link ExecutionInput} of each operation: a root value, a
         * {@code GraphQLContext}, data loaders, a locale. It is called for every operation, on the
         * thread that starts it, after the query, operation name, variables and extensions are set
         * from the request. Default: nothing, so graphql-java's defaults (no root value, an empty
         * context, no data loaders).
         *
         * @param customiser receives the request and the input builder
         * @return this builder
         */
        public Builder executionInput(BiConsumer<GraphQLRequest, ExecutionInput.Builder> customiser) {
            this.executionInput = Objects.requireNonNull(customiser, "customiser");
            return this;
        }

        /**
         * Where operations start. Default: the thread that calls {@code execute} (or requests a
         * subscription's first events), so synchronous data fetchers have answered before
         * {@code execute} returns its future, as in a unit test one wants. Data fetchers that block
         * then block that thread, and an execute timeout cannot interrupt them: give an executor
         * for those. Results and events are delivered on the thread that completes them.
         *
         * @param executor runs the start of each operation
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @return the transport */
        public LocalSchemaTransport build() {
            return new LocalSchemaTransport(this);
        }
    }
}
