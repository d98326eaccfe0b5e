/**
 * Spring Boot auto-configuration for jgql: a {@link dev.jgql.Client} from {@code jgql.*} properties
 * ({@link dev.jgql.spring.boot.JgqlProperties}), its permanent session for the application's life
 * ({@link dev.jgql.spring.boot.JgqlSessionLifecycle}), the Actuator health indicator {@code jgql}
 * ({@link dev.jgql.spring.boot.JgqlHealth}), and Micrometer metrics and observations.
 *
 * <pre>
 * jgql.url=https://countries.example/graphql
 * </pre>
 */
package dev.jgql.spring.boot;
