/**
 * The jgql countries backend: a real, embedded GraphQL server with the core of the public countries API,
 * served over HTTP and {@code graphql-transport-ws}, for jgql's examples and tests.
 *
 * <p>Start one with {@link dev.jgql.countries.CountriesServer#start(int)}, or run
 * {@link dev.jgql.countries.CountriesMain} (the module's jar is executable).
 */
package dev.jgql.countries;
