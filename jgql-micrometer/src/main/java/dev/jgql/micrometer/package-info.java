/**
 * Micrometer metrics and observations for jgql clients: {@link dev.jgql.micrometer.JgqlMetrics}, an event
 * listener that keeps timers, counters and gauges, and {@link dev.jgql.micrometer.JgqlObservations}, an
 * interceptor that makes one observation (a span, with Micrometer Tracing) per call.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(transport)
 *     .eventListener(JgqlMetrics.builder(meterRegistry).build())
 *     .interceptor(JgqlObservations.interceptor(observationRegistry))
 *     .build();
 * }</pre>
 */
package dev.jgql.micrometer;
