package dev.jgql.persisted;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.BackendTestSupport;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.JgqlUsageException;
import dev.jgql.PersistedQueries;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportProtocolException;
import dev.jgql.testkit.ScriptedHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Automatic persisted queries and trusted documents, against the countries backend and a scripted server. */
@Timeout(60)
class PersistedQueriesTest extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_FOUND = "{\"errors\":[{\"message\":\"PersistedQueryNotFound\","
            + "\"extensions\":{\"code\":\"PERSISTED_QUERY_NOT_FOUND\"}}]}";


    /** What each attempt put on the wire: whether the document went with it, and the persisted-query extension. */
    private record Sent(boolean withDocument, boolean get, Object persistedQuery) {
    }

    private Client client(URI uri, PersistedQueries settings, List<Sent> sent) {
        return closeLater(Client.builder()
                .transport(TestEngines.http(uri).build())
                .persistedQueries(settings)
                .attemptInterceptor((call, chain) -> {
                    sent.add(new Sent(!Boolean.TRUE.equals(call.attributes().get("jgql.withoutDocument")),
                            Boolean.TRUE.equals(call.attributes().get("jgql.httpGet")),
                            call.request().extensions().get("persistedQuery")));
                    return chain.proceed(call);
                })
                .build());
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theHashGoesFirstTheDocumentOnlyWhenTheBackendAsksAndThenNeverAgain() throws Exception {
        GraphQLRequest query = gql("query ApqContinent($code: ID!) { continent(code: $code) { name } }");
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Client client = client(backend.httpUri(), PersistedQueries.automatic(), sent);

        try (Session session = client.connect()) {
            assertThat(session.execute(query, Map.of("code", "EU"))).isEqualTo(Map.of("continent", Map.of("name", "Europe")));
            assertThat(session.execute(query, Map.of("code", "AF"))).isEqualTo(Map.of("continent", Map.of("name", "Africa")));
        }

        Map<String, Object> extension = Map.of("version", 1, "sha256Hash", sha256(query.document()));
        assertThat(sent).containsExactly(
                new Sent(false, false, extension), // PersistedQueryNotFound from graphql-java
                new Sent(true, false, extension),  // registered
                new Sent(false, false, extension)); // known now: the hash alone
    }

    @Test
    void aMutationSentByHashIsAppliedExactlyOnce() {
        GraphQLRequest increment = gql("mutation ApqIncrement($id: String) { increment(requestId: $id) }");
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Client client = client(backend.httpUri(), PersistedQueries.automatic(), sent);

        try (Session session = client.connect()) {
            session.execute(increment, Map.of("id", "apq-once"));
        }

        assertThat(backend.timesApplied("apq-once")).isEqualTo(1);
        assertThat(sent).extracting(Sent::withDocument).containsExactly(false, true);
    }

    @Test
    void hashedQueriesGoAsGetAndFallBackToPostWithTheDocument() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        server.enqueue(ScriptedHttpServer.Response.json(200, NOT_FOUND),
                ScriptedHttpServer.Response.json(200, "{\"data\":{\"hello\":\"world\"}}"),
                ScriptedHttpServer.Response.json(200, "{\"data\":{\"hello\":\"again\"}}"));
        GraphQLRequest hello = gql("query Hello { hello }");
        Client client = client(server.uri(), PersistedQueries.automatic().useGetForHashedQueries(true),
                new CopyOnWriteArrayList<>());

        try (Session session = client.connect()) {
            assertThat(session.execute(hello)).isEqualTo(Map.of("hello", "world"));
            assertThat(session.execute(hello)).isEqualTo(Map.of("hello", "again"));
        }

        String hash = sha256(hello.document());
        ScriptedHttpServer.RecordedRequest first = server.takeRequest(WAIT);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.target()).doesNotContain("query=").contains("extensions=").contains(hash);
        ScriptedHttpServer.RecordedRequest second = server.takeRequest(WAIT);
        assertThat(second.method()).isEqualTo("POST");
        Map<?, ?> body = JSON.readValue(second.body(), Map.class);
        assertThat(body.get("query")).isEqualTo(hello.document());
        assertThat(body.get("extensions")).isEqualTo(Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash)));
        ScriptedHttpServer.RecordedRequest third = server.takeRequest(WAIT);
        assertThat(third.method()).isEqualTo("GET");
        assertThat(third.target()).doesNotContain("query=");
    }

    @Test
    void aServerWithoutPersistedQueriesTurnsThemOffForTheClient() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        server.enqueue(ScriptedHttpServer.Response.json(200, "{\"errors\":[{\"message\":\"PersistedQueryNotSupported\"}]}"),
                ScriptedHttpServer.Response.json(200, "{\"data\":{\"hello\":\"world\"}}"),
                ScriptedHttpServer.Response.json(200, "{\"data\":{\"hello\":\"again\"}}"));
        GraphQLRequest hello = gql("query Hello { hello }");
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Client client = client(server.uri(), PersistedQueries.automatic(), sent);

        try (Session session = client.connect()) {
            assertThat(session.execute(hello)).isEqualTo(Map.of("hello", "world"));
            assertThat(session.execute(hello)).isEqualTo(Map.of("hello", "again"));
        }

        assertThat(sent).extracting(Sent::withDocument).containsExactly(false, true, true);
        assertThat(sent.get(1).persistedQuery()).isNull();
        assertThat(sent.get(2).persistedQuery()).isNull();
        server.takeRequest(WAIT);
        assertThat(JSON.readValue(server.takeRequest(WAIT).body(), Map.class)).doesNotContainKey("extensions");
    }

    @Test
    void aHashThatDoesNotMatchTheDocumentIsAClearError() {
        GraphQLRequest query = gql("query ApqMismatch { continent(code: \"EU\") { code } }");
        Client client = closeLater(Client.builder()
                .transport(TestEngines.http(backend.httpUri()).build())
                .persistedQueries(true)
                // a proxy or interceptor that changes the hash on its way
                .attemptInterceptor((call, chain) -> chain.proceed(call.withRequest(call.request().withExtensions(
                        Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", "0".repeat(64)))))))
                .build());

        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(query))
                    .isInstanceOf(TransportProtocolException.class)
                    .hasMessageContaining("refused the SHA-256 hash")
                    .hasMessageContaining("PersistedQueryIdInvalid")
                    .hasMessageContaining("does not match the document");
        }
    }

    @Test
    void trustedDocumentsSendOnlyTheirIdAndNeverTheText(@TempDir Path dir) throws Exception {
        String document = "query TrustedContinent { continent(code: \"OC\") { name } }";
        String id = sha256(document);
        // The backend learns the document the way a deployment would: from a client registering it.
        try (Session registering = client(backend.httpUri(), PersistedQueries.automatic(), new ArrayList<>()).connect()) {
            registering.execute(gql(document));
        }
        Path manifest = dir.resolve("persisted-query-manifest.json");
        Files.writeString(manifest, "{\"format\":\"apollo-persisted-query-manifest\",\"version\":1,\"operations\":["
                + "{\"id\":\"" + id + "\",\"name\":\"TrustedContinent\",\"type\":\"query\",\"body\":"
                + JSON.writeValueAsString(document) + "},"
                + "{\"id\":\"unknown-to-the-server\",\"name\":\"Other\",\"type\":\"query\",\"body\":\"query Other { counter }\"}]}");
        List<Sent> sent = new CopyOnWriteArrayList<>();
        Client client = client(backend.httpUri(), PersistedQueries.trustedManifest(manifest), sent);

        try (Session session = client.connect()) {
            // the same document, formatted differently, is the same trusted document
            assertThat(session.execute(gql("query TrustedContinent {\n  continent(code: \"OC\") {\n    name\n  }\n}")))
                    .isEqualTo(Map.of("continent", Map.of("name", "Oceania")));
            assertThatThrownBy(() -> session.execute(gql("query Other { counter }")))
                    .isInstanceOf(JgqlException.class)
                    .hasMessageContaining("does not know the trusted document unknown-to-the-server")
                    .hasMessageContaining("was not sent");
            assertThatThrownBy(() -> session.execute(gql("query NotTrusted { counter }")))
                    .isInstanceOf(JgqlUsageException.class)
                    .hasMessageContaining("is not one of the trusted documents");
        }

        assertThat(sent).containsExactly(new Sent(false, false, Map.of("version", 1, "sha256Hash", id)),
                new Sent(false, false, Map.of("version", 1, "sha256Hash", "unknown-to-the-server")));
    }

    @Test
    void aDocumentOutsideTheManifestIsNeverSent() throws Exception {
        ScriptedHttpServer server = closeLater(ScriptedHttpServer.start());
        Client client = client(server.uri(), PersistedQueries.trusted(Map.of("h1", "query Hello { hello }")),
                new ArrayList<>());

        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(gql("query Secret { secret }")))
                    .isInstanceOf(JgqlUsageException.class);
        }

        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aManifestThatIsNeitherFormatIsAClearError(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"h1\": 42}");
        assertThatThrownBy(() -> PersistedQueries.trustedManifest(broken))
                .isInstanceOf(JgqlUsageException.class)
                .hasMessageContaining("neither Apollo's manifest nor an object of document text by id");
        assertThatThrownBy(() -> PersistedQueries.trustedManifest(dir.resolve("missing.json")))
                .isInstanceOf(JgqlUsageException.class)
                .hasMessageContaining("Could not read");
        assertThatThrownBy(() -> PersistedQueries.trusted(Map.of("h1", "query {")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not parse");
    }
}
