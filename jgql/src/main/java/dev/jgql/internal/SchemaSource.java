package dev.jgql.internal;

import dev.jgql.AsyncSession;
import dev.jgql.CallOptions;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLSchemaException;
import dev.jgql.Gql;
import dev.jgql.TransportQueryException;
import dev.jgql.schema.IntrospectionOptions;
import dev.jgql.schema.Scalars;
import dev.jgql.schema.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The schema a client knows, given or fetched, shared by all its sessions; and the fetch of it by
 * introspection: once per client, on the first connection that succeeds (a plain session's
 * connect, the permanent session's first CONNECTED), again after a failure of the transport, never
 * again after the server refused it.
 */
public final class SchemaSource {
    private static final Logger LOG = LoggerFactory.getLogger("dev.jgql.schema");
    /** What the introspection call asks of the pipeline: one attempt, nothing parsed. */
    private static final CallOptions INTROSPECTION = CallOptions.builder()
            .retry(false).serializeVariables(false).parseResults(false).build();

    private final Scalars scalars;
    private final boolean fetchFromTransport;
    private final IntrospectionOptions options;
    // guarded by this; parsed on the first fetch, so a client that never fetches never parses it
    private GraphQLRequest introspection;
    private volatile SchemaCoding coding;
    private volatile boolean refused;
    // guarded by this
    private CompletableFuture<Schema> fetching;

    public SchemaSource(Schema schema, Scalars scalars, boolean fetchFromTransport, IntrospectionOptions options) {
        this.scalars = scalars;
        this.fetchFromTransport = fetchFromTransport;
        this.options = options;
        this.coding = schema == null ? null : new SchemaCoding(schema, scalars);
    }

    /** @return the schema known now */
    public Optional<Schema> schema() {
        SchemaCoding now = coding;
        return now == null ? Optional.empty() : Optional.of(now.schema());
    }

    /** @return the coding of the schema known now, or null */
    SchemaCoding coding() {
        return coding;
    }

    /** Whether this source may ever have a schema (given, or to be fetched). */
    boolean mayHaveSchema() {
        return coding != null || fetchFromTransport;
    }

    /**
     * Fetches the schema over this session if the client is to and has none yet; a failure is
     * logged, never thrown: the session works on without a schema.
     *
     * @return completes when the fetch is over (at once when none is needed); never exceptionally
     */
    public CompletableFuture<Void> fetchIfNeeded(AsyncSession session) {
        if (!fetchFromTransport || coding != null || refused) {
            return CompletableFuture.completedFuture(null);
        }
        return fetch(session).handle((schema, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                if (refused) {
                    LOG.warn("{} jgql goes on without a schema: requests are not validated locally; "
                            + "give the schema with Client.builder().schema(...) to have them validated", cause.getMessage());
                } else {
                    LOG.warn("Could not fetch the schema ({}); trying again on the next connection", cause.toString());
                }
            }
            return null;
        });
    }

    /**
     * Fetches the schema over this session now, and makes it the client's.
     *
     * @return the schema, or a {@link GraphQLSchemaException} saying why there is none
     */
    public synchronized CompletableFuture<Schema> fetch(AsyncSession session) {
        if (fetching != null && !fetching.isDone()) {
            return fetching;
        }
        if (introspection == null) {
            introspection = Gql.gql(options.query(), "IntrospectionQuery");
        }
        CompletableFuture<Schema> fetch;
        try {
            fetch = session.executeForResult(introspection, INTROSPECTION).thenApply(this::install);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        fetching = fetch.exceptionallyCompose(failure -> {
            Throwable cause = Futures.unwrap(failure);
            return CompletableFuture.failedFuture(cause instanceof GraphQLSchemaException ? cause
                    : new GraphQLSchemaException("Could not fetch the schema by introspection: " + cause.getMessage(), cause));
        });
        return fetching;
    }

    private Schema install(ExecutionResult result) {
        if (result.hasErrors()) {
            refused = true;
            throw new GraphQLSchemaException("The server refused the introspection query: "
                    + result.errors().stream().map(GraphQLError::message).collect(Collectors.joining("; ")) + ".",
                    new TransportQueryException(result));
        }
        Schema schema;
        try {
            schema = Schema.fromIntrospection(result.data() == null ? java.util.Map.of() : result.data());
        } catch (GraphQLSchemaException e) {
            refused = true;
            throw e;
        }
        coding = new SchemaCoding(schema, scalars);
        LOG.debug("Fetched the schema: {}", schema);
        return schema;
    }
}
