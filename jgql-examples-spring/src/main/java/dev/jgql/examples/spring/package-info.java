/**
 * The seed's web service on Spring Boot with {@code jgql-spring-boot-starter}: {@link
 * dev.jgql.examples.spring.ContinentsApplication} and its {@link dev.jgql.examples.spring.ContinentController}.
 *
 * <pre>
 * java -jar jgql-examples-spring/target/jgql-examples-spring-VERSION.jar --jgql.url=URL --server.port=N
 * </pre>
 */
package dev.jgql.examples.spring;
