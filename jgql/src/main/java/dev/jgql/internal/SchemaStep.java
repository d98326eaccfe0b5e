package dev.jgql.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The pipeline step of a client that knows a schema (or a mapper of its own): validates each
 * request against the schema before anything is sent, serialises custom scalars in its variables,
 * parses them in its answers, and gives results the client's mapper for typed access. Validation
 * and the walk plans are cached per document, so a request sent again costs a map lookup.
 */
final class SchemaStep implements GraphQLInterceptor {
    private final SchemaSource source;
    private final boolean validate;
    private final boolean serializeVariables;
    private final boolean parseResults;
    private final ObjectMapper resultMapper;

    SchemaStep(SchemaSource source, boolean validate, boolean serializeVariables, boolean parseResults,
            ObjectMapper resultMapper) {
        this.source = source;
        this.validate = validate;
        this.serializeVariables = serializeVariables;
        this.parseResults = parseResults;
        this.resultMapper = resultMapper;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        SchemaCoding coding = source.coding();
        GraphQLCall outgoing = prepare(call, coding);
        CompletableFuture<ExecutionResult> result = chain.proceed(outgoing);
        boolean parse = coding != null && coding.parses() && call.options().parseResults().orElse(parseResults);
        if (!parse && resultMapper == null) {
            return result;
        }
        GraphQLRequest request = outgoing.request();
        return result.thenApply(answer -> finish(request, answer, parse ? coding : null));
    }

    @Override
    public Flow.Publisher<ExecutionResult> interceptSubscription(GraphQLCall call, SubscriptionChain chain) {
        SchemaCoding coding = source.coding();
        GraphQLCall outgoing;
        try {
            outgoing = prepare(call, coding);
        } catch (JgqlException e) {
            return FailedPublisher.of(e);
        }
        Flow.Publisher<ExecutionResult> events = chain.proceed(outgoing);
        boolean parse = coding != null && coding.parses() && call.options().parseResults().orElse(parseResults);
        if (!parse && resultMapper == null) {
            return events;
        }
        GraphQLRequest request = outgoing.request();
        return new MappingPublisher<>(events, event -> finish(request, event, parse ? coding : null));
    }

    /** Validates and serialises; throws what the caller gets, before anything is sent. */
    private GraphQLCall prepare(GraphQLCall call, SchemaCoding coding) {
        if (coding == null) {
            return call;
        }
        GraphQLRequest request = call.request();
        if (validate) {
            coding.schema().validate(request);
        }
        if (coding.parses() && call.options().serializeVariables().orElse(serializeVariables)) {
            GraphQLRequest serialized = coding.serializeVariables(request);
            if (serialized != request) {
                return call.withRequest(serialized);
            }
        }
        return call;
    }

    private ExecutionResult finish(GraphQLRequest request, ExecutionResult answer, SchemaCoding coding) {
        ExecutionResult parsed = coding == null ? answer : coding.parseResult(request, answer);
        return resultMapper == null ? parsed : parsed.withObjectMapper(resultMapper);
    }
}
