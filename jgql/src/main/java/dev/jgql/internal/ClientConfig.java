package dev.jgql.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.CallOptions;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.transport.Transport;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What a client hands each session it opens: its transports and the pieces of its pipeline.
 *
 * @param transport             queries and mutations (and subscriptions, without the next one)
 * @param subscriptionTransport subscriptions, when they go over a transport of their own; else null
 * @param interceptors          once per call, in order
 * @param attemptInterceptors   once per attempt, in order
 * @param schemas               the schema the client knows or fetches
 * @param schemaStep            validation and custom scalars, after the interceptors; null if none
 * @param persistedQueryStep    persisted queries, last of the head (it sends the request as the steps before left it); null if off
 * @param batching              automatic batching, or null
 */
public record ClientConfig(Transport transport, Transport subscriptionTransport, Duration executeTimeout, Clock clock,
        ObjectMapper objectMapper, List<GraphQLInterceptor> interceptors, List<GraphQLInterceptor> attemptInterceptors,
        Events events, CallOptions defaultCallOptions, SchemaSource schemas, GraphQLInterceptor schemaStep,
        GraphQLInterceptor persistedQueryStep, dev.jgql.Batching batching) {

    public ClientConfig {
        interceptors = List.copyOf(interceptors);
        attemptInterceptors = List.copyOf(attemptInterceptors);
    }

    /**
     * The step that validates against the client's schema, serialises and parses custom scalars,
     * and hands results the application's mapper; null when there is nothing for it to do.
     */
    public static GraphQLInterceptor schemaStep(SchemaSource schemas, boolean validate, boolean serializeVariables,
            boolean parseResults, ObjectMapper applicationMapper) {
        if (!schemas.mayHaveSchema() && applicationMapper == null) {
            return null;
        }
        return new SchemaStep(schemas, validate, serializeVariables, parseResults, applicationMapper);
    }

    /** The step that turns a call with uploads into a multipart one; it costs a look at the variables. */
    private GraphQLInterceptor uploadStep() {
        return new UploadStep(transport instanceof dev.jgql.transport.http.HttpTransport, transport.toString());
    }

    /**
     * The step that batches a session's calls (explicit batches, and automatic ones when
     * configured), after the head; null when the transport cannot carry batches, so that each
     * call of a batch goes on its own.
     */
    GraphQLInterceptor batchStep(java.util.concurrent.ScheduledExecutorService scheduler) {
        return transport instanceof dev.jgql.transport.http.HttpTransport ? new BatchStep(batching, scheduler) : null;
    }

    /** Whether subscriptions have a link of their own. */
    public boolean splitTransports() {
        return subscriptionTransport != null;
    }

    /**
     * The steps every session starts its chains with: events (when someone listens), the
     * interceptors, then the schema step (so it validates the request as the interceptors left it),
     * then uploads (which make a call multipart), then persisted queries (which hash the document as
     * it will be sent, except in a multipart call: a file is not worth sending twice to save a document).
     */
    List<GraphQLInterceptor> head() {
        return Pipeline.steps(events.enabled() ? new EventsStep(events) : null, interceptors, schemaStep, uploadStep(), persistedQueryStep);
    }
}
