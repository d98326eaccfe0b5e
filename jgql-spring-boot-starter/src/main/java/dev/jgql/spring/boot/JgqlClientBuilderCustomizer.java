package dev.jgql.spring.boot;

import dev.jgql.Client;

/**
 * Changes the auto-configured client's builder before the client is built: a scheduler, a clock, an
 * object mapper, call defaults. Define one or more as beans; they run in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * JgqlClientBuilderCustomizer tenantHeader() {
 *     return builder -> builder.interceptor((call, chain) -> chain.proceed(call.withHeader("X-Tenant", "acme")));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface JgqlClientBuilderCustomizer {
    /**
     * Customises the builder.
     *
     * @param builder the builder, with the properties' settings, listeners and interceptors applied
     */
    void customize(Client.Builder builder);
}
