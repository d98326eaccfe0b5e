package dev.jgql.transport.local;

import graphql.GraphQL;
import graphql.language.ScalarTypeDefinition;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The countries backend's schema (the SDL resource of jgql-countries) wired to a small in-memory
 * data set, for tests that run it in-process: two continents, three countries, a counter, and a
 * countdown subscription whose source emits only what is requested and records it.
 *
 * <p>Test conventions of this fixture: {@code country(code: "XX")} throws in its data fetcher (a
 * GraphQL error with partial data); {@code countdown(from:)} above 100 is refused (its data
 * fetcher throws); below 0 the source stream fails at the first request.
 */
public final class LocalCountries {
    public static final String SDL_RESOURCE = "/dev/jgql/countries/schema.graphqls";

    private static final Map<String, Object> EUROPE = Map.of("code", "EU", "name", "Europe");
    private static final Map<String, Object> AFRICA = Map.of("code", "AF", "name", "Africa");
    private static final Map<String, Object> FRENCH = Map.of("code", "fr", "name", "French", "native", "Français");
    private static final Map<String, Object> GERMAN = Map.of("code", "de", "name", "German", "native", "Deutsch");
    private static final List<Map<String, Object>> COUNTRIES = List.of(
            country("FR", "France", "Paris", EUROPE, FRENCH),
            country("DE", "Germany", "Berlin", EUROPE, GERMAN),
            country("SN", "Senegal", "Dakar", AFRICA, FRENCH));

    /** The counter changed by {@code Mutation.increment}. */
    public final AtomicInteger counter = new AtomicInteger();
    /** How many countdown events the subscribers' demand let through to the sources, in all. */
    public final AtomicLong countdownRequested = new AtomicLong();
    /** How many countdown sources were cancelled. */
    public final AtomicInteger countdownsCancelled = new AtomicInteger();
    /** How many countdown sources were started. */
    public final AtomicInteger countdownsStarted = new AtomicInteger();

    private final GraphQL graphQL;

    public LocalCountries() {
        graphQL = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(registry(), wiring())).build();
    }

    public GraphQL graphQL() {
        return graphQL;
    }

    public GraphQLSchema schema() {
        return graphQL.getGraphQLSchema();
    }

    public static String sdl() {
        try (InputStream in = LocalCountries.class.getResourceAsStream(SDL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + SDL_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TypeDefinitionRegistry registry() {
        return new SchemaParser().parse(sdl());
    }

    private RuntimeWiring wiring() {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type
                        .dataFetcher("continents", env -> List.of(EUROPE, AFRICA))
                        .dataFetcher("continent", env -> byCode(List.of(EUROPE, AFRICA), env.getArgument("code")))
                        .dataFetcher("countries", env -> COUNTRIES)
                        .dataFetcher("country", env -> {
                            if ("XX".equals(env.getArgument("code"))) {
                                throw new IllegalStateException("no data for XX");
                            }
                            return byCode(COUNTRIES, env.getArgument("code"));
                        })
                        .dataFetcher("languages", env -> List.of(FRENCH, GERMAN))
                        .dataFetcher("language", env -> byCode(List.of(FRENCH, GERMAN), env.getArgument("code")))
                        .dataFetcher("counter", env -> counter.get())
                        .dataFetcher("slow", env -> "ok"))
                .type("Mutation", type -> type
                        .dataFetcher("increment", env -> counter.addAndGet(env.<Integer>getArgument("by"))))
                .type("Subscription", type -> type
                        .dataFetcher("countdown", env -> {
                            int from = env.getArgument("from");
                            if (from > 100) {
                                throw new IllegalArgumentException("countdown from at most 100, not " + from);
                            }
                            return new Countdown(from);
                        }))
                .type("Continent", type -> type
                        .dataFetcher("countries", env -> COUNTRIES.stream()
                                .filter(country -> country.get("continent") == env.getSource()).toList()))
                // The SDL's interface and union: a map is a country, a continent or a language by what it is.
                .type("Place", type -> type.typeResolver(LocalCountries::typeOf))
                .type("SearchResult", type -> type.typeResolver(LocalCountries::typeOf));
        // Scalars the SDL may declare beyond the built-in ones are passed through as they are.
        registry().scalars().values().stream()
                .filter(scalar -> !ScalarInfo.isGraphqlSpecifiedScalar(scalar.getName()))
                .map(LocalCountries::passThrough)
                .forEach(wiring::scalar);
        return wiring.build();
    }

    private static graphql.schema.GraphQLObjectType typeOf(graphql.TypeResolutionEnvironment env) {
        Object value = env.getObject();
        String name = COUNTRIES.contains(value) ? "Country"
                : value == EUROPE || value == AFRICA ? "Continent" : "Language";
        return env.getSchema().getObjectType(name);
    }

    private static GraphQLScalarType passThrough(ScalarTypeDefinition definition) {
        return GraphQLScalarType.newScalar().name(definition.getName()).coercing(new Coercing<Object, Object>() {
            @Override
            @SuppressWarnings("deprecation")
            public Object serialize(Object value) {
                return value;
            }

            @Override
            @SuppressWarnings("deprecation")
            public Object parseValue(Object input) {
                return input;
            }

            @Override
            @SuppressWarnings("deprecation")
            public Object parseLiteral(Object input) {
                return input;
            }
        }).build();
    }

    private static Map<String, Object> country(String code, String name, String capital, Map<String, Object> continent,
            Map<String, Object> language) {
        return Map.of("code", code, "name", name, "native", name, "capital", capital, "emoji", code,
                "currencies", List.of(), "phone", "1", "phones", List.of("1"), "languages", List.of(language),
                "continent", continent);
    }

    private static Map<String, Object> byCode(List<Map<String, Object>> items, Object code) {
        return items.stream().filter(item -> item.get("code").equals(code)).findFirst().orElse(null);
    }

    /** Counts down from {@code from} to 0, one number per requested event, on the requesting thread. */
    private final class Countdown implements Publisher<Integer> {
        private final int from;

        Countdown(int from) {
            this.from = from;
        }

        @Override
        public void subscribe(Subscriber<? super Integer> subscriber) {
            countdownsStarted.incrementAndGet();
            subscriber.onSubscribe(new Subscription() {
                private final AtomicBoolean done = new AtomicBoolean();
                private final AtomicInteger wip = new AtomicInteger();
                private final AtomicLong demand = new AtomicLong();
                private int next = from;

                @Override
                public void request(long n) {
                    countdownRequested.addAndGet(n);
                    demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
                    if (wip.getAndIncrement() != 0) {
                        return; // the emitting loop below sees the new demand
                    }
                    int missed = 1;
                    do {
                        while (!done.get() && demand.get() > 0) {
                            if (next < 0) {
                                if (done.compareAndSet(false, true)) {
                                    if (from < 0) {
                                        subscriber.onError(new IllegalStateException("countdown source broke"));
                                    } else {
                                        subscriber.onComplete();
                                    }
                                }
                                break;
                            }
                            demand.decrementAndGet();
                            subscriber.onNext(next--);
                            if (next < 0 && from >= 0 && done.compareAndSet(false, true)) {
                                subscriber.onComplete();
                            }
                        }
                        missed = wip.addAndGet(-missed);
                    } while (missed != 0);
                }

                @Override
                public void cancel() {
                    if (done.compareAndSet(false, true)) {
                        countdownsCancelled.incrementAndGet();
                    }
                }
            });
        }
    }
}
