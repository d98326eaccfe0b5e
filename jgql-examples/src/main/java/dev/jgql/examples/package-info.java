/**
 * The Java counterparts of the two example programs of gql's "Async permanent session" chapter — a web
 * service ({@link dev.jgql.examples.ContinentWebService}) and a console client
 * ({@link dev.jgql.examples.GraphQLContinentClient}, {@link dev.jgql.examples.ContinentConsole}) — with their
 * command line ({@link dev.jgql.examples.Main}) and the README's code samples
 * ({@link dev.jgql.examples.ReadmeExamples}).
 */
package dev.jgql.examples;
