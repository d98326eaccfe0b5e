package dev.jgql.examples;

import dev.jgql.Client;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.examples.graphql.CountdownSubscription;
import dev.jgql.examples.graphql.GetContinentNameQuery;
import dev.jgql.examples.graphql.GetContinentQuery;
import dev.jgql.examples.graphql.SearchQuery;
import dev.jgql.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;

/**
 * The console example's {@link GraphQLContinentClient} with typed operations: the queries live in
 * {@code src/main/graphql/continents.graphql}, jgql-maven-plugin checks them against the backend's
 * schema during the build and generates their classes, and the answers are records, not maps.
 *
 * <pre>{@code
 * try (TypedContinentClient continents = new TypedContinentClient(HttpTransport.builder(uri).build())) {
 *     continents.connect();
 *     String name = continents.getContinentName("EU");                  // "Europe"
 *     List<String> capitals = continents.capitals("OC");                // "Pago Pago", "Canberra", ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: the permanent session may be shared by any number of threads.
 */
public final class TypedContinentClient implements AutoCloseable {
    private final Client client;
    private volatile ReconnectingSession session;

    /** A client with jgql's defaults: execute timeout 10 s per attempt, reconnect forever, 5 tries per execute. */
    public TypedContinentClient(Transport transport) {
        this.client = Client.builder().transport(transport).executeTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Opens the permanent session (see {@link GraphQLContinentClient#connect()}).
     *
     * @return the session
     */
    public ReconnectingSession connect() {
        session = join(client.connectAsync(Reconnect.defaults())::join);
        return session;
    }

    /** Closes the permanent session. Idempotent. */
    @Override
    public void close() {
        client.close();
    }

    /**
     * The name of the continent with this code, e.g. "Europe" for "EU".
     *
     * @throws IllegalStateException before {@link #connect()}, or if there is no such continent
     */
    public String getContinentName(String code) {
        GetContinentNameQuery.Data data = join(session().execute(GetContinentNameQuery.of(code))::join);
        if (data.continent() == null) {
            throw new IllegalStateException("No continent with code " + code);
        }
        return data.continent().name();
    }

    /**
     * The continent with this code, its countries included.
     *
     * @return the continent, empty if there is none with that code
     */
    public Optional<GetContinentQuery.Data.Continent> continent(String code) {
        return Optional.ofNullable(join(session().execute(GetContinentQuery.of(code))::join).continent());
    }

    /** The capitals of a continent's countries, in the backend's order; a country without one is left out. */
    public List<String> capitals(String code) {
        List<String> capitals = new ArrayList<>();
        continent(code).ifPresent(continent -> continent.countries().forEach(country -> {
            if (country.capital() != null) {
                capitals.add(country.capital());
            }
        }));
        return capitals;
    }

    /**
     * What a search finds, one line each: continents with their code, countries with their flag.
     * The answer is a list of a sealed interface, one record per type the query asks fields of.
     */
    public List<String> search(String text) {
        List<String> lines = new ArrayList<>();
        for (SearchQuery.Data.Search found : join(session().execute(SearchQuery.of(text))::join).search()) {
            if (found instanceof SearchQuery.Data.Search.Continent continent) {
                lines.add("continent " + continent.name() + " (" + continent.code() + ")");
            } else if (found instanceof SearchQuery.Data.Search.Country country) {
                lines.add("country " + country.name() + " " + country.emoji());
            } else {
                lines.add(found.__typename().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return lines;
    }

    /**
     * The backend's countdown from {@code from} to 0, typed: a subscription needs a WebSocket transport.
     *
     * @return the events, one {@code Data} each
     */
    public Flow.Publisher<CountdownSubscription.Data> countdown(int from) {
        return session().subscribe(CountdownSubscription.of(from));
    }

    private ReconnectingSession session() {
        ReconnectingSession current = session;
        if (current == null) {
            throw new IllegalStateException("Not connected: call connect() first");
        }
        return current;
    }

    /** The caller gets jgql's exception itself, not a CompletionException around it. */
    private static <T> T join(java.util.function.Supplier<T> future) {
        try {
            return future.get();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
