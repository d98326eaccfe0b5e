package dev.jgql.examples.spring;

import static dev.jgql.Gql.gql;

import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The routes of the seed's web service, as jgql-examples' Javalin one serves them:
 *
 * <ul>
 *   <li>{@code GET /}: an HTML page titled "Continents" linking to the seven continents.
 *   <li>{@code GET /continent/{code}}: the continent's name, code and countries (each with its name and capital)
 *       as JSON, the query's data as the backend sent it; {@code 404 {"detail":"Continent not found"}} for an
 *       unknown code; {@code 503 {"detail":"GraphQL backend unavailable"}} when the backend cannot answer within
 *       the request timeout ({@code jgql.deadline}).
 * </ul>
 *
 * <pre>{@code
 * curl http://127.0.0.1:8000/continent/EU
 * }</pre>
 */
@RestController
public class ContinentController {
    private static final Logger log = LoggerFactory.getLogger(ContinentController.class);

    /** The continent codes the service knows, as in the seed. */
    static final List<String> CONTINENT_CODES = List.of("AF", "AN", "AS", "EU", "NA", "OC", "SA");

    /** The seed's query (gql's fastapi_async.py). */
    static final GraphQLRequest QUERY = gql("""
            query getContinentInfo($code: ID!) {
              continent(code:$code) {
                name
                code
                countries  {
                  name
                  capital
                }
              }
            }""");

    static final Map<String, String> NOT_FOUND = Map.of("detail", "Continent not found");
    static final Map<String, String> UNAVAILABLE = Map.of("detail", "GraphQL backend unavailable");

    /** Past the call's own deadline, how long we still wait before answering 503 anyway: a backstop only. */
    private static final long BACKSTOP_GRACE_MILLIS = 500;

    private final Client client;
    private final long backstopMillis;

    /**
     * @param client   the auto-configured client; its permanent session is {@code client.session()}
     * @param deadline the longest a request waits for the backend ({@code jgql.deadline})
     */
    public ContinentController(Client client, @Value("${jgql.deadline}") java.time.Duration deadline) {
        this.client = client;
        this.backstopMillis = deadline.toMillis() + BACKSTOP_GRACE_MILLIS;
    }

    /**
     * The seed's {@code get_root}: byte for byte what gql's FastAPI example answers, indentation included.
     *
     * @return the page
     */
    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    public String root() {
        String links = CONTINENT_CODES.stream()
                .map(code -> "<a href=\"continent/" + code + "\">" + code + "</a>")
                .collect(Collectors.joining(", "));
        return """

                    <html>
                        <head>
                            <title>Continents</title>
                        </head>
                        <body>
                            Continents: %s
                        </body>
                    </html>
                """.formatted(links);
    }

    /*
     * A CompletableFuture, not a blocking wait: while the backend is down every request waits up to the deadline
     * for the session to reconnect, and a blocking handler would hold one Tomcat thread per waiting request.
     */
    /**
     * The seed's {@code get_continent}.
     *
     * @param code a continent code, e.g. {@code EU}
     * @return the continent's data, 404 or 503
     */
    @GetMapping(path = "/continent/{code}", produces = MediaType.APPLICATION_JSON_VALUE)
    public CompletableFuture<ResponseEntity<Object>> continent(@PathVariable String code) {
        if (!CONTINENT_CODES.contains(code)) {
            return CompletableFuture.completedFuture(ResponseEntity.status(404).body(NOT_FOUND));
        }
        CompletableFuture<Map<String, Object>> call;
        try {
            call = client.session().execute(QUERY, Map.of("code", code));
        } catch (RuntimeException e) { // no session: not started yet, or shutting down
            call = CompletableFuture.failedFuture(e);
        }
        return call.orTimeout(backstopMillis, TimeUnit.MILLISECONDS).handle((data, failure) -> {
            if (failure == null) {
                return ResponseEntity.ok(data);
            }
            log.debug("get_continent Error: {}", failure.toString());
            return ResponseEntity.status(503).body(UNAVAILABLE);
        });
    }
}
