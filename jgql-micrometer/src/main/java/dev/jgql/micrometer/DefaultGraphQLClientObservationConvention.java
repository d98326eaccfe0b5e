package dev.jgql.micrometer;

import dev.jgql.ClientEventListener.Outcome;
import dev.jgql.TransportTimeoutException;
import io.micrometer.common.KeyValues;

import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * jgql's observation convention: the name {@value #NAME}; the contextual name (a span's name)
 * {@code query getContinentName}, as OpenTelemetry's GraphQL conventions have it; low-cardinality key
 * values {@code graphql.operation.name} (the name, or {@code anonymous}), {@code graphql.operation.type}
 * and {@code outcome} (as the {@code outcome} tag of {@link JgqlMetrics}). Variables and the document are
 * never key values.
 *
 * <pre>{@code
 * GraphQLInterceptor observing = JgqlObservations.interceptor(observationRegistry);
 * }</pre>
 */
public class DefaultGraphQLClientObservationConvention implements GraphQLClientObservationConvention {
    /** The observation's name: a timer of this name appears where observations make meters. */
    public static final String NAME = "jgql.client.operation";

    /** A convention with jgql's names. */
    public DefaultGraphQLClientObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(GraphQLClientObservationContext context) {
        String type = context.operationType().name().toLowerCase(Locale.ROOT);
        return context.operationName().isEmpty() ? type : type + " " + context.operationName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(GraphQLClientObservationContext context) {
        return KeyValues.of(
                "graphql.operation.name", context.operationName().isEmpty() ? JgqlMetrics.ANONYMOUS : context.operationName(),
                "graphql.operation.type", context.operationType().name().toLowerCase(Locale.ROOT),
                "outcome", outcome(context).name());
    }

    /**
     * How the call ended, as the event listener tells it.
     *
     * @param context the observation's context, stopped or not
     * @return the outcome; {@code SUCCESS} while the call has neither a result nor an error yet
     */
    protected Outcome outcome(GraphQLClientObservationContext context) {
        Throwable error = context.getError();
        if (error != null) {
            if (error instanceof TransportTimeoutException) {
                return Outcome.TIMED_OUT;
            }
            return error instanceof CancellationException ? Outcome.CANCELLED : Outcome.FAILED;
        }
        return context.getResponse() != null && context.getResponse().hasErrors() ? Outcome.GRAPHQL_ERRORS
                : Outcome.SUCCESS;
    }
}
