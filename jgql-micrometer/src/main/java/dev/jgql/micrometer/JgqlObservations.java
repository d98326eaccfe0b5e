package dev.jgql.micrometer;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Micrometer Observation for jgql calls: an interceptor that starts one observation per call (execute),
 * before retries, and stops it when the call ends. The observation is current while the call is passed
 * on, so it is the parent of whatever the pipeline observes, and its parent is the observation current
 * on the caller's thread (e.g. the web request being served). When the registry has a propagating
 * handler (Micrometer Tracing's, as Spring Boot wires it), the trace context it writes
 * ({@code traceparent}, {@code b3}, …) is added to the call's headers and so sent with every attempt.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(transport)
 *     .interceptor(JgqlObservations.interceptor(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <p>Subscriptions are passed on unobserved.
 */
public final class JgqlObservations {
    private static final GraphQLClientObservationConvention DEFAULT = new DefaultGraphQLClientObservationConvention();

    private JgqlObservations() {
    }

    /**
     * The interceptor with jgql's {@link DefaultGraphQLClientObservationConvention convention}.
     *
     * @param registry where observations are made; with {@link ObservationRegistry#NOOP} the interceptor costs
     *                 next to nothing
     * @return the interceptor to register with {@code Client.Builder.interceptor}
     */
    public static GraphQLInterceptor interceptor(ObservationRegistry registry) {
        return interceptor(registry, null);
    }

    /**
     * The interceptor with a convention of your own.
     *
     * @param registry   where observations are made
     * @param convention names and key values; {@code null} for jgql's (a convention registered on the registry
     *                   still wins over both, as Micrometer decides)
     * @return the interceptor to register with {@code Client.Builder.interceptor}
     */
    public static GraphQLInterceptor interceptor(ObservationRegistry registry, GraphQLClientObservationConvention convention) {
        Objects.requireNonNull(registry, "registry");
        return (call, chain) -> observe(registry, convention, call, chain);
    }

    private static CompletableFuture<ExecutionResult> observe(ObservationRegistry registry,
            GraphQLClientObservationConvention convention, GraphQLCall call, GraphQLInterceptor.Chain chain) {
        GraphQLClientObservationContext context = new GraphQLClientObservationContext(call.request());
        Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry).start();
        GraphQLCall traced = call;
        for (Map.Entry<String, String> header : context.getCarrier().entrySet()) {
            traced = traced.withHeader(header.getKey(), header.getValue());
        }
        CompletableFuture<ExecutionResult> result;
        try (Observation.Scope ignored = observation.openScope()) {
            result = chain.proceed(traced);
        } catch (RuntimeException e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        // The caller's future completes after the observation stopped, so whatever it does next sees it ended; a
        // caller that cancels it cancels the call, as without the observation. (Not result.whenComplete(...): a
        // cancelled dependent would skip its action, and the observation would never stop.)
        CompletableFuture<ExecutionResult> observed = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                result.cancel(true);
                return cancelled;
            }
        };
        result.whenComplete((value, failure) -> {
            if (failure != null) {
                observation.error(unwrap(failure));
            } else {
                context.setResponse(value);
            }
            observation.stop();
            if (failure != null) {
                observed.completeExceptionally(failure);
            } else {
                observed.complete(value);
            }
        });
        return observed;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
