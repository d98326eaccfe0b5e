/**
 * The Java counterparts of the two example programs of gql's "Async permanent session" chapter — a web
 * service ({@link dev.jgql.examples.ContinentWebService}) and a console client
 * ({@link dev.jgql.examples.GraphQLContinentClient}, {@link dev.jgql.examples.ContinentConsole}) — with their
 * command line ({@link dev.jgql.examples.Main}). The README's own programs are compiled and run as they are
 * written by this module's {@code DocumentedProgramsTest}.
 */
package dev.jgql.examples;
