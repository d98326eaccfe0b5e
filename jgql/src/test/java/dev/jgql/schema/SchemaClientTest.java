package dev.jgql.schema;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jgql.AsyncSession;
import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLSchemaException;
import dev.jgql.GraphQLValidationException;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.ResultMappingException;
import dev.jgql.Session;
import dev.jgql.TestEngines;
import dev.jgql.TransportQueryException;
import dev.jgql.countries.CountriesServer;
import dev.jgql.testkit.ChaosProxy;
import dev.jgql.testkit.ScriptedHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema-aware client against the embedded countries backend: sources, validation, scalars, typed results. */
@Timeout(60)
class SchemaClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Scalars SCALARS = Scalars.builder()
            .scalar("DateTime", ScalarCodec.offsetDateTime())
            .scalar("BigDecimal", ScalarCodec.bigDecimal())
            .build();

    /** Reconnects every 20 ms: the tests wait for reconnections, not backoff. */
    private static final Reconnect QUICK_RECONNECT = Reconnect.builder()
            .retryConnect(dev.failsafe.RetryPolicy.builder().handle(Exception.class)
                    .withDelay(Duration.ofMillis(20)).withMaxRetries(-1).build())
            .build();

    private static CountriesServer server;
    private static String sdl;
    private final List<AutoCloseable> resources = new ArrayList<>();

    record Country(String code, String name) { }

    record Continent(String code, String name, List<Country> countries) { }

    record ContinentData(Continent continent) { }

    @BeforeAll
    static void startServer() throws IOException {
        server = CountriesServer.start(0);
        try (InputStream in = CountriesServer.class.getResourceAsStream("schema.graphqls")) {
            sdl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(0, resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private Client.Builder countries() {
        return Client.builder().transport(TestEngines.http(server.httpUri()).build());
    }

    // ---- schema sources ---------------------------------------------------------------------------

    @Test
    void aSchemaFromSdlFromIntrospectionAndFromGraphQLJavaDescribeTheSameTypes() {
        Schema fromSdl = Schema.fromSdl(sdl);
        Client client = closeLater(countries().build());
        Map<String, Object> introspection;
        try (Session session = client.connect()) {
            introspection = session.execute(gql(IntrospectionOptions.defaults().query()));
        }
        Schema fromIntrospection = Schema.fromIntrospection(introspection);
        Schema fromGraphQLJava = Schema.of(fromSdl.graphQLSchema());

        for (Schema schema : List.of(fromSdl, fromIntrospection, fromGraphQLJava)) {
            assertThat(schema.graphQLSchema().getObjectType("Country").getFieldDefinition("continent")).isNotNull();
            assertThat(schema.graphQLSchema().getType("DateTime")).isNotNull();
            assertThat(schema.toSdl()).contains("scalar DateTime", "union SearchResult = Continent | Country | Language",
                    "interface Place", "input Period");
        }
        // The printed SDL is a schema again, with the same types.
        assertThat(Schema.fromSdl(fromIntrospection.toSdl()).graphQLSchema().getAllTypesAsList())
                .hasSameSizeAs(fromSdl.graphQLSchema().getAllTypesAsList());
        // Descriptions come along with the default introspection options.
        assertThat(fromIntrospection.toSdl()).contains("The server's clock, in UTC.");
    }

    @Test
    void introspectionOptionsChangeTheQuery() {
        String defaults = IntrospectionOptions.defaults().query();
        String all = IntrospectionOptions.builder().specifiedByUrl(true).directiveIsRepeatable(true)
                .schemaDescription(true).oneOf(true).build().query();
        String bare = IntrospectionOptions.builder().descriptions(false).inputValueDeprecation(false).build().query();
        assertThat(defaults).contains("description", "includeDeprecated: true").doesNotContain("specifiedByURL", "isRepeatable");
        assertThat(all).contains("specifiedByURL", "isRepeatable", "isOneOf");
        assertThat(bare).doesNotContain("description");
        assertThatThrownBy(() -> IntrospectionOptions.builder().typeRecursionLevel(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badSchemasAreClearErrors() {
        assertThatThrownBy(() -> Schema.fromSdl("type Query { hello: "))
                .isInstanceOf(GraphQLSchemaException.class).hasMessageContaining("does not parse");
        assertThatThrownBy(() -> Schema.fromSdl("type Query { hello: Strin }"))
                .isInstanceOf(GraphQLSchemaException.class).hasMessageContaining("not valid").hasMessageContaining("Strin");
        assertThatThrownBy(() -> Schema.fromIntrospection(Map.of("types", List.of())))
                .isInstanceOf(GraphQLSchemaException.class).hasMessageContaining("no __schema");
        assertThatThrownBy(() -> Schema.fromIntrospectionJson("{not json"))
                .isInstanceOf(GraphQLSchemaException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> Client.builder().schema("type Query { a: Int"))
                .isInstanceOf(GraphQLSchemaException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIntrospectionResultWithAMissingTypeNamesIt() {
        Client client = closeLater(countries().build());
        Map<String, Object> introspection;
        try (Session session = client.connect()) {
            introspection = session.execute(gql(IntrospectionOptions.defaults().query()));
        }
        Map<String, Object> schema = new java.util.LinkedHashMap<>((Map<String, Object>) introspection.get("__schema"));
        List<Map<String, Object>> types = new ArrayList<>((List<Map<String, Object>>) schema.get("types"));
        types.removeIf(type -> "Language".equals(type.get("name")));
        schema.put("types", types);

        assertThatThrownBy(() -> Schema.fromIntrospection(Map.of("__schema", schema)))
                .isInstanceOf(GraphQLSchemaException.class)
                .hasMessageContaining("Language");
    }

    @Test
    void fetchSchemaFromTransportAndSchemaTogetherAreRefused() {
        assertThatThrownBy(() -> countries().schema(sdl).fetchSchemaFromTransport(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    // ---- fetching ------------------------------------------------------------------------------

    @Test
    void aPlainSessionFetchesTheSchemaOnConnectAndValidatesItsFirstCall() {
        AtomicInteger introspections = new AtomicInteger();
        Client client = closeLater(countries().fetchSchemaFromTransport(true)
                .interceptor(countIntrospections(introspections)).build());
        assertThat(client.schema()).isEmpty();

        try (Session session = client.connect()) {
            assertThat(session.schema()).isPresent();
            assertThat(client.schema()).containsSame(session.schema().get());
            assertThatThrownBy(() -> session.execute(gql("{ continent(code: \"EU\") { nam } }")))
                    .isInstanceOf(GraphQLValidationException.class);
        }
        try (Session again = client.connect()) {
            again.execute(gql("{ counter }"));
        }
        assertThat(introspections).hasValue(1);
    }

    @Test
    void thePermanentSessionFetchesOnceNotOnEveryReconnect() throws Exception {
        ChaosProxy proxy = closeLater(ChaosProxy.start(server.port()));
        AtomicInteger introspections = new AtomicInteger();
        Client client = closeLater(Client.builder()
                .transport(TestEngines.ws(proxy.webSocketUri("/graphql")).build())
                .fetchSchemaFromTransport(true)
                .interceptor(countIntrospections(introspections))
                .build());
        ReconnectingSession session = client.connectAsync(QUICK_RECONNECT).get(10, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> session.schema().isPresent());

        for (int i = 0; i < 3; i++) {
            long before = proxy.totalConnections();
            proxy.killAll();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> proxy.totalConnections() > before
                    && session.state() == dev.jgql.ConnectionState.CONNECTED);
            assertThat(session.execute(gql("{ counter }")).get(10, TimeUnit.SECONDS)).containsKey("counter");
        }
        assertThat(introspections).hasValue(1);
        assertThatThrownBy(() -> session.execute(gql("{ nope }")).join())
                .hasCauseInstanceOf(GraphQLValidationException.class);
    }

    @Test
    void overHttpThePermanentSessionFetchesOnceTheServerIsReachable() throws Exception {
        ChaosProxy proxy = closeLater(ChaosProxy.start(server.port()));
        proxy.mode(ChaosProxy.Mode.REFUSE);
        AtomicInteger introspections = new AtomicInteger();
        Client client = closeLater(Client.builder()
                .transport(TestEngines.http(proxy.httpUri("/graphql")).build())
                .fetchSchemaFromTransport(true)
                .interceptor(countIntrospections(introspections))
                .build());
        ReconnectingSession session = client.connectAsync(QUICK_RECONNECT).get(10, TimeUnit.SECONDS);
        // The first fetch fails (refused) and is tried again when the server is back.
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> introspections.get() >= 1
                && session.state() != dev.jgql.ConnectionState.CONNECTED);
        assertThat(session.schema()).isEmpty();

        proxy.mode(ChaosProxy.Mode.PASS);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> session.schema().isPresent());
        assertThat(introspections).hasValue(2);
        assertThatThrownBy(() -> session.execute(gql("{ nope }")).join())
                .hasCauseInstanceOf(GraphQLValidationException.class);
    }

    @Test
    void aServerThatRefusesIntrospectionGivesAClearErrorAndTheSessionWorksWithoutASchema() throws Exception {
        ScriptedHttpServer refusing = closeLater(ScriptedHttpServer.start());
        refusing.handler(request -> request.body().contains("__schema")
                ? ScriptedHttpServer.Response.json(200,
                        "{\"errors\":[{\"message\":\"GraphQL introspection is not allowed\"}]}")
                : ScriptedHttpServer.Response.json(200, "{\"data\":{\"counter\":7}}"));
        Client client = closeLater(Client.builder().transport(TestEngines.http(refusing.uri()).build())
                .fetchSchemaFromTransport(true).build());

        try (Session session = client.connect()) {
            assertThat(session.schema()).isEmpty();
            assertThat(session.execute(gql("{ counter }"))).containsEntry("counter", 7);
            assertThatThrownBy(session::fetchSchema)
                    .isInstanceOf(GraphQLSchemaException.class)
                    .hasMessageContaining("refused the introspection query")
                    .hasMessageContaining("GraphQL introspection is not allowed")
                    .hasCauseInstanceOf(TransportQueryException.class);
        }
        // Refused once: a later session does not ask again.
        int before = refusing.requestCount();
        try (Session again = client.connect()) {
            again.execute(gql("{ counter }"));
        }
        assertThat(refusing.requestCount()).isEqualTo(before + 1);
    }

    private static GraphQLInterceptor countIntrospections(AtomicInteger count) {
        return (call, chain) -> {
            if (call.request().document().contains("__schema")) {
                count.incrementAndGet();
            }
            return chain.proceed(call);
        };
    }

    // ---- validation ----------------------------------------------------------------------------

    @Test
    void anInvalidRequestFailsWithEveryProblemAndNothingIsSent() throws Exception {
        ScriptedHttpServer wire = closeLater(ScriptedHttpServer.start());
        wire.handler(request -> ScriptedHttpServer.Response.json(200, "{\"data\":{\"counter\":1}}"));
        Client client = closeLater(Client.builder().transport(TestEngines.http(wire.uri()).build()).schema(sdl).build());
        GraphQLRequest bad = gql("""
                query Bad($code: ID!) {
                  continent(code: $code) { nam }
                  counter(by: 2)
                }""");

        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(bad, Map.of("code", "EU")))
                    .isInstanceOfSatisfying(GraphQLValidationException.class, e -> {
                        assertThat(e.errors()).hasSize(2);
                        assertThat(e.errors().get(0).message()).isEqualTo("Field 'nam' in type 'Continent' is undefined");
                        assertThat(e.errors().get(0).extensions()).containsEntry("classification", "FieldUndefined");
                        assertThat(e.errors().get(0).locations()).containsExactly(new dev.jgql.GraphQLError.Location(2, 28));
                        assertThat(e.getMessage()).contains("query 'Bad'", "2 problems", "line 2, column 28", "nam",
                                "line 3, column 11", "by", "nothing was sent");
                    });
            CompletableFuture<ExecutionResult> async = session.async().executeForResult(bad);
            assertThat(async).failsWithin(WAIT).withThrowableThat().havingCause()
                    .isInstanceOf(GraphQLValidationException.class);
            // A subscription is validated too, and fails its subscriber without a connection.
            dev.jgql.testkit.RecordingSubscriber<Map<String, Object>> events = new dev.jgql.testkit.RecordingSubscriber<>();
            session.subscribe(gql("subscription { countdown(from: \"x\") }")).subscribe(events);
            assertThat(events.awaitError(WAIT)).isInstanceOf(GraphQLValidationException.class);
            // A valid request goes out.
            assertThat(session.execute(gql("{ counter }"))).containsEntry("counter", 1);
        }
        assertThat(wire.requestCount()).isEqualTo(1);
    }

    @Test
    void validationCanBeSwitchedOff() {
        Client client = closeLater(countries().schema(sdl).validateRequests(false).build());
        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(gql("{ nope }")))
                    .isInstanceOf(TransportQueryException.class); // the server's answer, not a local one
        }
    }

    // ---- custom scalars ------------------------------------------------------------------------

    @Test
    void customScalarsAreParsedThroughAliasesFragmentsListsAndNulls() {
        Client client = closeLater(countries().schema(sdl).scalars(SCALARS).build());
        OffsetDateTime at = OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));
        GraphQLRequest request = gql("""
                query Times($at: DateTime!, $times: [DateTime!]!, $none: [DateTime!]!) {
                  now: serverTime
                  later: shiftTime(at: $at, hours: 30)
                  latest(times: $times)
                  nothing: latest(times: $none)
                  ...Division
                  ... on Query { third: divide(a: "1", b: "3", scale: 25) }
                }
                fragment Division on Query { half: divide(a: "1", b: "2") }""");

        try (Session session = client.connect()) {
            Map<String, Object> data = session.execute(request, Map.of("at", at,
                    "times", List.of(at, at.plusDays(1).withOffsetSameInstant(ZoneOffset.ofHours(-5))),
                    "none", List.of()));
            assertThat(data.get("now")).isInstanceOf(OffsetDateTime.class);
            assertThat(data.get("later")).isEqualTo(OffsetDateTime.of(2024, 5, 2, 18, 0, 0, 0, ZoneOffset.ofHours(2)));
            assertThat(data.get("latest")).isEqualTo(at.plusDays(1).withOffsetSameInstant(ZoneOffset.ofHours(-5)));
            assertThat(data.get("nothing")).isNull();
            assertThat(data.get("half")).isEqualTo(new BigDecimal("0.5000000000"));
            assertThat(data.get("third")).isEqualTo(new BigDecimal("0.3333333333333333333333333"));

            // Per call: answers as the server sent them.
            Map<String, Object> raw = session.execute(request.withVariables(Map.of("at", at, "times", List.of(at),
                    "none", List.of())), CallOptions.builder().parseResults(false).build());
            assertThat(raw.get("later")).isEqualTo("2024-05-02T18:00+02:00");
            assertThat(raw.get("third")).isEqualTo("0.3333333333333333333333333");
        }
    }

    @Test
    void nestedInputObjectsAreSerialisedAndTheServerComputesWithThem() {
        Client client = closeLater(countries().schema(sdl).scalars(SCALARS).build());
        OffsetDateTime from = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        try (Session session = client.connect()) {
            Map<String, Object> data = session.execute(gql("query($p: Period!) { hoursBetween(period: $p) }"),
                    Map.of("p", Map.of("from", from, "to", from.plusMinutes(90).withOffsetSameInstant(ZoneOffset.ofHours(9)))));
            assertThat(data.get("hoursBetween")).isEqualTo(new BigDecimal("1.5"));
        }
    }

    record Stamp(OffsetDateTime at) { }

    @Test
    void serialiseVariablesUsesTheCodecAndCanBeSwitchedOffPerCall() {
        ScalarCodec<Stamp> stamps = ScalarCodec.of(Stamp.class, stamp -> stamp.at().toString(),
                json -> new Stamp(OffsetDateTime.parse((String) json)));
        Client client = closeLater(countries().schema(sdl)
                .scalars(Scalars.builder().scalar("DateTime", stamps).build()).build());
        OffsetDateTime at = OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        GraphQLRequest shift = gql("query($at: DateTime!) { shiftTime(at: $at, hours: 1) }")
                .withVariables(Map.of("at", new Stamp(at)));

        try (Session session = client.connect()) {
            assertThat(session.execute(shift).get("shiftTime")).isEqualTo(new Stamp(at.plusHours(1)));
            // Without the codec the record goes out as a JSON object, which the server refuses.
            assertThatThrownBy(() -> session.execute(shift, CallOptions.builder().serializeVariables(false).build()))
                    .isInstanceOf(TransportQueryException.class).hasMessageContaining("DateTime");
        }
    }

    @Test
    void aScalarTheCodecRejectsNamesThePathAndTheValue() {
        Client client = closeLater(countries().schema(sdl)
                .scalars(Scalars.builder().scalar("DateTime", ScalarCodec.localDate()).build()).build());
        try (Session session = client.connect()) {
            assertThatThrownBy(() -> session.execute(gql("{ times: search(text: \"zz\") { __typename } t: shiftTime(at: \"2024-05-01T00:00Z\", hours: 1) }")))
                    .isInstanceOf(ResultMappingException.class)
                    .hasMessageContaining("The value at t (2024-05-01T01:00Z) is not a valid DateTime");
        }
        Client failing = closeLater(countries().schema(sdl).scalars(Scalars.builder()
                .scalar("DateTime", ScalarCodec.of(OffsetDateTime.class, value -> {
                    throw new IllegalStateException("cannot write");
                }, json -> OffsetDateTime.parse((String) json))).build()).build());
        try (Session session = failing.connect()) {
            assertThatThrownBy(() -> session.execute(gql("query($p: Period!) { hoursBetween(period: $p) }"),
                    Map.of("p", Map.of("from", OffsetDateTime.now(), "to", OffsetDateTime.now()))))
                    .isInstanceOf(JgqlUsageException.class)
                    .hasMessageMatching("(?s).*\\$p\\.(from|to) \\(.*")
                    .hasMessageContaining("cannot write");
        }
    }

    @Test
    void subscriptionEventsAreParsedToo() {
        Client client = closeLater(Client.builder().transport(TestEngines.ws(server.webSocketUri()).build())
                .schema(sdl).scalars(Scalars.builder().scalar("Int", ScalarCodec.of(Long.class, v -> v,
                        json -> ((Number) json).longValue() * 100)).build()).build());
        try (Session session = client.connect();
             dev.jgql.BlockingSubscription<Map<String, Object>> events = session.subscribeBlocking(
                     gql("subscription { countdown(from: 2, intervalMs: 1) }"))) {
            List<Object> values = new ArrayList<>();
            events.forEach(event -> values.add(event.get("countdown")));
            assertThat(values).containsExactly(200L, 100L, 0L);
        }
    }

    // ---- typed results -------------------------------------------------------------------------

    @Test
    void fieldsMapToRecordsListsAndGenericTypes() {
        Client client = closeLater(countries().build());
        GraphQLRequest europe = gql("""
                { continent(code: "EU") { code name countries { code name capital } } }""");
        try (Session session = client.connect()) {
            ExecutionResult result = session.executeForResult(europe);

            List<Country> countries = result.field("continent.countries").toEntityList(Country.class);
            assertThat(countries).hasSize(52).contains(new Country("FR", "France"));
            assertThat(result.field("continent.countries[0].code").toEntity(String.class)).isEqualTo(countries.get(0).code());
            assertThat(result.field("continent").toEntity(Continent.class).countries()).isEqualTo(countries);
            List<Country> generic = result.field("continent.countries").toEntity(new TypeReference<>() { });
            assertThat(generic).hasSize(52).first().isInstanceOf(Country.class);
            assertThat(result.toEntity(ContinentData.class).continent().name()).isEqualTo("Europe");
            assertThat(result.field("continent.countries").isPresent()).isTrue();
            assertThat(result.field("continent.oceans").isPresent()).isFalse();

            // The typed execute overloads.
            assertThat(session.execute(europe, ContinentData.class).continent().code()).isEqualTo("EU");
            assertThat(session.async().execute(europe, new TypeReference<Map<String, Continent>>() { }).join()
                    .get("continent").countries()).hasSize(52);
        }
    }

    @Test
    void aNullFieldIsNullAndAMissingPathOrAWrongTypeIsAClearError() {
        Client client = closeLater(countries().build());
        try (Session session = client.connect()) {
            ExecutionResult result = session.executeForResult(gql("{ country(code: \"XX\") { name } continent(code: \"EU\") { name } }"));
            assertThat(result.field("country").toEntity(Country.class)).isNull();
            assertThat(result.field("country.name").toEntity(String.class)).isNull();
            assertThat(result.field("country").toEntityList(Country.class)).isEmpty();

            assertThatThrownBy(() -> result.field("continent.nam").toEntity(String.class))
                    .isInstanceOf(ResultMappingException.class)
                    .hasMessageContaining("no 'nam' at 'continent'").hasMessageContaining("[name]");
            assertThatThrownBy(() -> result.field("continent[3]").value())
                    .isInstanceOf(ResultMappingException.class);
            assertThatThrownBy(() -> result.field("continent").toEntity(Integer.class))
                    .isInstanceOf(ResultMappingException.class)
                    .hasMessageContaining("java.lang.Integer").hasMessageContaining("'continent'")
                    .hasMessageContaining("{name=Europe}");
            assertThatThrownBy(() -> result.field("a..b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> result.field("a[x]")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFieldWithErrorsFailsWithThemAndPartialDataStaysReachable() {
        Client client = closeLater(countries().schema(sdl).scalars(SCALARS).build());
        try (Session session = client.connect()) {
            ExecutionResult result = session.executeForResult(gql("""
                    { ok: continent(code: "EU") { name } bad: divide(a: "1", b: "0") }"""));
            assertThat(result.hasErrors()).isTrue();
            assertThat(result.field("ok.name").toEntity(String.class)).isEqualTo("Europe");
            assertThat(result.field("bad").errors()).hasSize(1);
            assertThatThrownBy(() -> result.field("bad").toEntity(BigDecimal.class))
                    .isInstanceOfSatisfying(TransportQueryException.class,
                            e -> assertThat(e.errors()).singleElement().satisfies(error ->
                                    assertThat(error.path()).containsExactly("bad")));
            assertThatThrownBy(() -> result.toEntity(Map.class)).isInstanceOf(TransportQueryException.class);
            assertThatThrownBy(() -> session.execute(gql("{ bad: divide(a: \"1\", b: \"0\") }"), Map.class))
                    .isInstanceOf(TransportQueryException.class);
        }
    }

    record Countdown(int countdown) { }

    @Test
    void typedOperationsRunOnEverySessionAndStream() throws Exception {
        dev.jgql.TypedOperation<ContinentData> europe = dev.jgql.TypedOperation.of(
                gql("query($code: ID!) { continent(code: $code) { code name countries { code name } } }")
                        .withVariables(Map.of("code", "EU")), ContinentData.class);
        Client client = closeLater(Client.builder().transport(TestEngines.ws(server.webSocketUri()).build()).build());
        try (Session session = client.connect()) {
            assertThat(session.execute(europe).continent().countries()).hasSize(52);
            try (dev.jgql.BlockingSubscription<Countdown> events = session.subscribeBlocking(dev.jgql.TypedOperation.of(
                    gql("subscription { countdown(from: 2, intervalMs: 1) }"), Countdown.class))) {
                List<Countdown> all = new ArrayList<>();
                events.forEach(all::add);
                assertThat(all).containsExactly(new Countdown(2), new Countdown(1), new Countdown(0));
            }
        }
        ReconnectingSession permanent = client.connectAsync(Reconnect.defaults()).get(10, TimeUnit.SECONDS);
        assertThat(permanent.execute(europe).get(10, TimeUnit.SECONDS).continent().name()).isEqualTo("Europe");
        dev.jgql.TypedOperation<Division> failing = dev.jgql.TypedOperation.of(
                gql("{ bad: divide(a: \"1\", b: \"0\") }"), Division.class);
        assertThat(permanent.execute(failing)).failsWithin(WAIT).withThrowableThat()
                .havingCause().isInstanceOf(TransportQueryException.class);
    }

    record Division(BigDecimal bad) { }

    record Shouting(String NAME) { }

    @Test
    void typedResultsUseTheClientsOwnMapper() {
        JsonMapper caseInsensitive = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build();
        Client own = closeLater(countries().objectMapper(caseInsensitive).build());
        Client plain = closeLater(countries().build());
        GraphQLRequest europe = gql("{ continent(code: \"EU\") { name } }");
        try (Session ownSession = own.connect(); Session plainSession = plain.connect()) {
            assertThat(ownSession.executeForResult(europe).field("continent").toEntity(Shouting.class).NAME())
                    .isEqualTo("Europe");
            assertThat(plainSession.executeForResult(europe).field("continent").toEntity(Shouting.class).NAME())
                    .isNull();
            ExecutionResult withMapper = plainSession.executeForResult(europe).withObjectMapper(caseInsensitive);
            assertThat(withMapper.field("continent").toEntity(Shouting.class).NAME()).isEqualTo("Europe");
        }
    }

    record Timed(OffsetDateTime later, BigDecimal half) { }

    @Test
    void parsedScalarsMapToRecordsWithoutLosingTheOffset() {
        Client client = closeLater(countries().schema(sdl).scalars(SCALARS).build());
        try (Session session = client.connect()) {
            Timed timed = session.execute(gql("""
                    { later: shiftTime(at: "2024-05-01T12:00:00+02:00", hours: 1) half: divide(a: "1", b: "2", scale: 3) }"""),
                    Timed.class);
            assertThat(timed.later()).isEqualTo(OffsetDateTime.of(2024, 5, 1, 13, 0, 0, 0, ZoneOffset.ofHours(2)));
            assertThat(timed.half()).isEqualTo(new BigDecimal("0.500"));
        }
    }

    @Test
    void thePermanentSessionValidatesAndParsesToo() throws Exception {
        Client client = closeLater(countries().schema(sdl).scalars(SCALARS).build());
        AsyncSession session = client.connectAsync(Reconnect.defaults()).get(10, TimeUnit.SECONDS);
        assertThat(session.schema()).isPresent();
        assertThat(session.execute(gql("{ serverTime }")).get(10, TimeUnit.SECONDS).get("serverTime"))
                .isInstanceOf(OffsetDateTime.class);
        assertThat(session.execute(gql("{ serverTim }"))).failsWithin(WAIT).withThrowableThat()
                .havingCause().isInstanceOf(GraphQLValidationException.class);
    }

    @Test
    void interceptorsSeeTheRequestBeforeValidation() {
        GraphQLInterceptor fixTypo = (GraphQLCall call, GraphQLInterceptor.Chain chain) ->
                chain.proceed(call.withRequest(gql(call.request().document().replace("nam ", "name "))));
        Client client = closeLater(countries().schema(sdl).interceptor(fixTypo).build());
        try (Session session = client.connect()) {
            assertThat(session.execute(gql("{ continent(code: \"EU\") { nam } }"))).containsKey("continent");
        }
    }
}
