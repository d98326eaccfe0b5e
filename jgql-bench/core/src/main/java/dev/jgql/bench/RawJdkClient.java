package dev.jgql.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The floor: what a hand-written client does with no library at all. One shared {@code java.net.http.HttpClient}
 * configured as jgql configures its own (HTTP/1.1 on {@code http://}), the same headers, a Jackson-written body
 * byte-identical to jgql's, and the response parsed by Jackson into a {@code Map}. No error classification, no
 * retry, no timeouts.
 */
public final class RawJdkClient {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI uri;

    public RawJdkClient(URI uri) {
        this.uri = uri;
    }

    /** The request body: {@code {"query":…,"variables":…}}, variables omitted when empty, as jgql writes it. */
    public byte[] body(String document, Map<String, Object> variables) throws IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("query", document);
        if (!variables.isEmpty()) {
            request.put("variables", variables);
        }
        return mapper.writeValueAsBytes(request);
    }

    /** POSTs the query and returns the {@code data} object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> execute(String document, Map<String, Object> variables) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(document, variables)))
                .header("Content-Type", "application/json")
                .header("Accept", Queries.ACCEPT)
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        Map<String, Object> json = mapper.readValue(response.body(), MAP);
        return (Map<String, Object>) json.get("data");
    }
}
