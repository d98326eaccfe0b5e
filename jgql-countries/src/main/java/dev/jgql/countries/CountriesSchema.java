package dev.jgql.countries;

import dev.jgql.countries.CountriesData.Continent;
import dev.jgql.countries.CountriesData.Country;
import dev.jgql.countries.CountriesData.Language;
import graphql.GraphQL;
import graphql.execution.preparsed.persisted.ApolloPersistedQuerySupport;
import graphql.execution.preparsed.persisted.InMemoryPersistedQueryCache;
import graphql.GraphQLContext;
import graphql.TypeResolutionEnvironment;
import graphql.execution.CoercedVariables;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
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
            .dataFetcher("slow", env -> slow(vertx, env.getArgument("ms")))
            .dataFetcher("serverTime", env -> OffsetDateTime.now(ZoneOffset.UTC))
            .dataFetcher("shiftTime", env -> env.<OffsetDateTime>getArgument("at").plusHours(env.<Integer>getArgument("hours")))
            .dataFetcher("latest", env -> env.<List<OffsetDateTime>>getArgument("times").stream()
                .max(Comparator.comparing(OffsetDateTime::toInstant)).orElse(null))
            .dataFetcher("hoursBetween", env -> {
              Map<String, Object> period = env.getArgument("period");
              long seconds = Duration.between((OffsetDateTime) period.get("from"), (OffsetDateTime) period.get("to"))
                  .getSeconds();
              return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_EVEN)
                  .stripTrailingZeros();
            })
            .dataFetcher("divide", env -> env.<BigDecimal>getArgument("a")
                .divide(env.<BigDecimal>getArgument("b"), env.<Integer>getArgument("scale"), RoundingMode.HALF_EVEN))
            .dataFetcher("search", env -> search(data, env.getArgument("text")))
            .dataFetcher("places", env -> {
              List<Object> places = new ArrayList<>(data.continents());
              places.addAll(data.countries());
              return places;
            }))
        .type("Mutation", type -> type
            .dataFetcher("increment", env -> Math.toIntExact(
                ledger.increment(env.getArgument("by"), env.getArgument("requestId"))))
            .dataFetcher("storeFile", env -> env.getArgument("file"))
            .dataFetcher("storeFiles", env -> env.getArgument("files")))
        .type("Subscription", type -> type
            .dataFetcher("countdown", env -> new Countdown(
                vertx.getOrCreateContext(), env.getArgument("from"), env.<Integer>getArgument("intervalMs"),
                activeCountdowns)))
        .scalar(DATE_TIME)
        .scalar(BIG_DECIMAL)
        .scalar(UPLOAD)
        .type("Place", type -> type.typeResolver(CountriesSchema::typeOf))
        .type("SearchResult", type -> type.typeResolver(CountriesSchema::typeOf))
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
    // Automatic persisted queries (Apollo's protocol): a hash the server has not seen is answered
    // PersistedQueryNotFound, a hash sent with a document it does not match PersistedQueryIdInvalid.
    // Unbounded, as befits a test backend with a fixed set of clients.
    return GraphQL.newGraphQL(schema)
        .preparsedDocumentProvider(new ApolloPersistedQuerySupport(
            InMemoryPersistedQueryCache.newInMemoryPersistedQueryCache().build()))
        .build();
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

  /** ISO-8601 with offset; a value that is not one is rejected with the server's usual error. */
  private static final GraphQLScalarType DATE_TIME =
      scalar("DateTime", OffsetDateTime.class, OffsetDateTime::toString, CountriesSchema::dateTime);

  /** Exact decimals, written as JSON strings; numbers are accepted as input too. */
  private static final GraphQLScalarType BIG_DECIMAL =
      scalar("BigDecimal", BigDecimal.class, BigDecimal::toPlainString, CountriesSchema::decimal);

  /** A file received by {@link UploadHandler}; only a variable can hold one. */
  private static final GraphQLScalarType UPLOAD =
      scalar("Upload", UploadHandler.ReceivedFile.class, UploadHandler.ReceivedFile::fileName, value -> {
        if (value instanceof UploadHandler.ReceivedFile file) {
          return file;
        }
        throw new IllegalArgumentException("an Upload is a file part of a GraphQL multipart request, not " + value);
      });

  /**
   * A scalar written as a string. {@code parse} takes a variable's JSON value or a literal's value (a string, a
   * BigDecimal or a BigInteger) and rejects what it cannot read with an IllegalArgumentException.
   */
  private static <T> GraphQLScalarType scalar(String name, Class<T> type, Function<T, String> print,
      Function<Object, T> parse) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .coercing(new Coercing<T, String>() {
          @Override
          public String serialize(Object value, GraphQLContext context, Locale locale) {
            if (type.isInstance(value)) {
              return print.apply(type.cast(value));
            }
            throw new CoercingSerializeException("not a " + name + ": " + value);
          }

          @Override
          public T parseValue(Object input, GraphQLContext context, Locale locale) {
            try {
              return parse.apply(input);
            } catch (IllegalArgumentException e) {
              throw new CoercingParseValueException(e.getMessage());
            }
          }

          @Override
          public T parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            Object value = input instanceof StringValue text ? text.getValue()
                : input instanceof FloatValue number ? number.getValue()
                : input instanceof IntValue number ? number.getValue() : input;
            try {
              return parse.apply(value);
            } catch (IllegalArgumentException e) {
              throw new CoercingParseLiteralException(e.getMessage());
            }
          }
        })
        .build();
  }

  private static OffsetDateTime dateTime(Object input) {
    if (input instanceof String text) {
      try {
        return OffsetDateTime.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 date-time with offset: " + text);
      }
    }
    throw new IllegalArgumentException("a DateTime is a string, e.g. \"2024-05-01T12:00:00Z\", not " + input);
  }

  private static BigDecimal decimal(Object input) {
    if (input instanceof String || input instanceof Number) {
      try {
        return new BigDecimal(input.toString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a decimal number: " + input);
      }
    }
    throw new IllegalArgumentException("a BigDecimal is a string or a number, not " + input);
  }

  private static GraphQLObjectType typeOf(TypeResolutionEnvironment env) {
    Object value = env.getObject();
    String name = value instanceof Continent ? "Continent" : value instanceof Country ? "Country" : "Language";
    return env.getSchema().getObjectType(name);
  }

  private static List<Object> search(CountriesData data, String text) {
    String needle = text.toLowerCase(Locale.ROOT);
    List<Object> found = new ArrayList<>();
    data.continents().stream().filter(it -> it.name().toLowerCase(Locale.ROOT).contains(needle)).forEach(found::add);
    data.countries().stream().filter(it -> it.name().toLowerCase(Locale.ROOT).contains(needle)).forEach(found::add);
    data.languages().stream().filter(it -> it.name().toLowerCase(Locale.ROOT).contains(needle)).forEach(found::add);
    return found;
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
