/**
 * The local schema transport: {@link dev.jgql.transport.local.LocalSchemaTransport} runs queries,
 * mutations and subscriptions in-process on a graphql-java {@code GraphQL}, with no server, for
 * tests and for applications that serve their own schema.
 *
 * <pre>{@code
 * Client client = Client.builder().transport(LocalSchemaTransport.of(graphQL)).build();
 * }</pre>
 */
package dev.jgql.transport.local;
