package dev.jgql.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an observation of a jgql call and gives its key values; implement it (or extend
 * {@link DefaultGraphQLClientObservationConvention}) to change them.
 *
 * <pre>{@code
 * GraphQLInterceptor observing = JgqlObservations.interceptor(observationRegistry, new DefaultGraphQLClientObservationConvention() {
 *     public String getName() {
 *         return "countries.graphql";
 *     }
 * });
 * }</pre>
 */
public interface GraphQLClientObservationConvention extends ObservationConvention<GraphQLClientObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof GraphQLClientObservationContext;
    }
}
