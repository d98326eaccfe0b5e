/**
 * The Vert.x 5 engine for jgql's transports: {@link dev.jgql.vertx.VertxEngine}, on a Vert.x of its
 * own or on the application's. Everything else in this package is the engine's implementation.
 *
 * <pre>{@code
 * Client client = Client.builder()
 *     .transport(HttpTransport.builder(URI.create("https://host/graphql")).engine(VertxEngine.create()).build())
 *     .build();
 * }</pre>
 */
package dev.jgql.vertx;
