package dev.jgql.spring.boot;

import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The Actuator health indicator {@code jgql} (Spring Boot 4): {@link JgqlHealth}'s report as a
 * {@link Health}. On Spring Boot 3.5 the starter registers the same report through Boot 3's API.
 *
 * <pre>{@code
 * @Bean
 * JgqlHealthIndicator jgqlHealthIndicator(JgqlHealth health) {
 *     return new JgqlHealthIndicator(health);
 * }
 * }</pre>
 */
public class JgqlHealthIndicator implements HealthIndicator {
    private final JgqlHealth health;

    /** @param health the check */
    public JgqlHealthIndicator(JgqlHealth health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    public Health health() {
        JgqlHealth.Report report = health.check();
        return Health.status(report.status().name()).withDetails(report.details()).build();
    }
}
