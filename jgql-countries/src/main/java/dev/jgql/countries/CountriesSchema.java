package dev.jgql.countries;

import dev.jgql.countries.CountriesData.Country;
import dev.jgql.countries.CountriesData.Language;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Wires {@code schema.graphqls} to the data set, the mutation ledger and Vert.x timers. */
final class CountriesSchema {

  private static final String SCHEMA_RESOURCE = "schema.graphqls";

  private CountriesSchema() {}

  static GraphQL create(Vertx vertx, CountriesData data, MutationLedger ledger, AtomicInteger activeCountdowns) {
    RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
        .type("Query", type -> type
            .dataFetcher("continents", env -> data.continents())
            .dataFetcher("continent", env -> data.continent(env.getArgument("code")))
            .dataFetcher("countries", env -> data.countries())
            .dataFetcher("country", env -> data.country(env.getArgument("code")))
            .dataFetcher("languages", env -> data.languages())
            .dataFetcher("language", env -> data.language(env.getArgument("code")))
            .dataFetcher("counter", env -> Math.toIntExact(ledger.counter()))
            .dataFetcher("slow", env -> slow(vertx, env.getArgument("ms"))))
        .type("Mutation", type -> type
            .dataFetcher("increment", env -> Math.toIntExact(
                ledger.increment(env.getArgument("by"), env.getArgument("requestId")))))
        .type("Subscription", type -> type
            .dataFetcher("countdown", env -> new Countdown(
                vertx.getOrCreateContext(), env.getArgument("from"), env.<Integer>getArgument("intervalMs"),
                activeCountdowns)))
        .type("Continent", type -> type
            .dataFetcher("countries", env -> data.countriesOf(env.getSource())))
        .type("Country", type -> type
            // "native" is a Java keyword, so the record component has another name.
            .dataFetcher("native", env -> env.<Country>getSource().nativeName())
            .dataFetcher("emoji", env -> env.<Country>getSource().emoji())
            .dataFetcher("currency", env -> joinedOrNull(env.<Country>getSource().currencies()))
            .dataFetcher("phone", env -> String.join(",", env.<Country>getSource().phones()))
            .dataFetcher("languages", env -> data.languagesOf(env.getSource()))
            .dataFetcher("continent", env -> data.continent(env.<Country>getSource().continentCode())))
        .type("Language", type -> type
            .dataFetcher("native", env -> env.<Language>getSource().nativeName()))
        .build();
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(typeDefinitions(), wiring);
    return GraphQL.newGraphQL(schema).build();
  }

  private static TypeDefinitionRegistry typeDefinitions() {
    try (InputStream in = CountriesSchema.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing class-path resource " + SCHEMA_RESOURCE);
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return new SchemaParser().parse(reader);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCHEMA_RESOURCE, e);
    }
  }

  private static CompletableFuture<String> slow(Vertx vertx, int ms) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    if (ms < 1) {
      answer.complete("ok");
    } else {
      vertx.setTimer(ms, id -> answer.complete("ok"));
    }
    return answer;
  }

  private static String joinedOrNull(List<String> values) {
    return values.isEmpty() ? null : String.join(",", values);
  }
}
