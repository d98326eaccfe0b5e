package dev.jgql.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.GraphQLRequest;
import dev.jgql.engine.EngineSettings;
import dev.jgql.engine.HttpEngine;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.engine.JdkEngine;
import dev.jgql.transport.support.GraphQLJson;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * The JDK engine's own round trip, without jgql's pipeline: the request body written as jgql writes it, one
 * exchange on the engine, the response parsed into a {@code Map}. Benchmarked as {@code jgqlEngine}, so that what
 * the pipeline adds on top (session, retries step, attempt timer, classification) is {@code jgql} minus this.
 */
final class EngineRoundTrip implements AutoCloseable {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final HttpEngine engine = JdkEngine.create().newHttpEngine(EngineSettings.builder().name("bench").build());
    private final ObjectMapper mapper = GraphQLJson.defaultMapper();
    private final URI uri;

    EngineRoundTrip(URI uri) {
        this.uri = uri;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> execute(GraphQLRequest request) throws IOException {
        HttpEngineRequest post = HttpEngineRequest.post(uri, HttpEngineRequest.Body.ofBytes(
                        GraphQLJson.writeRequest(mapper, request)))
                .header("Content-Type", "application/json")
                .header("Accept", Queries.ACCEPT)
                .build();
        HttpEngineResponse response = engine.execute(post).join();
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        byte[] body = response.body().orElseThrow();
        return (Map<String, Object>) mapper.readValue(body, MAP).get("data");
    }

    @Override
    public void close() {
        engine.close().join();
    }
}
