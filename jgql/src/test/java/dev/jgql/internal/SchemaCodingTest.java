package dev.jgql.internal;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLRequest;
import dev.jgql.ResultMappingException;
import dev.jgql.schema.ScalarCodec;
import dev.jgql.schema.Scalars;
import dev.jgql.schema.Schema;
import dev.jgql.transport.support.GraphQLJson;
import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.GraphQLScalarType;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scalar walk over a schema with interfaces, unions, enums and fragments: the answers are
 * graphql-java's own execution results for the operation, parsed as a client with that schema
 * parses them.
 */
@SuppressWarnings("unchecked")
class SchemaCodingTest {
    private static final String SDL = """
            scalar Date
            enum Kind { BOOK FILM }
            interface Item { id: ID! released: Date kind: Kind! }
            type Book implements Item { id: ID! released: Date kind: Kind! pages: Int! }
            type Film implements Item { id: ID! released: Date kind: Kind! minutes: Int! premiere: Date }
            union Anything = Book | Film
            type Query { items: [Item!]! anything: [Anything]! first: Item dates: [[Date]] }
            """;

    enum Kind { BOOK, FILM }

    private static final Scalars SCALARS = Scalars.builder()
            .scalar("Date", ScalarCodec.localDate())
            .enumType("Kind", Kind.class)
            .build();

    private static final List<Map<String, Object>> ITEMS = List.of(
            Map.of("__kind", "Book", "id", "b1", "released", "2001-02-03", "kind", "BOOK", "pages", 300),
            Map.of("__kind", "Film", "id", "f1", "released", "1999-12-31", "kind", "FILM", "minutes", 120,
                    "premiere", "1999-06-01"));

    private static final GraphQL GRAPHQL = graphQL();

    private static GraphQL graphQL() {
        GraphQLScalarType date = GraphQLScalarType.newScalar().name("Date").coercing(new Coercing<String, String>() {
            @Override
            public String serialize(Object value, GraphQLContext context, Locale locale) {
                return (String) value;
            }

            @Override
            public String parseValue(Object input, GraphQLContext context, Locale locale) {
                return (String) input;
            }

            @Override
            public String parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                return ((StringValue) input).getValue();
            }
        }).build();
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(date)
                .type("Query", type -> type
                        .dataFetcher("items", env -> ITEMS)
                        .dataFetcher("anything", env -> {
                            List<Object> all = new java.util.ArrayList<>(ITEMS);
                            all.add(null);
                            return all;
                        })
                        .dataFetcher("first", env -> ITEMS.get(1))
                        .dataFetcher("dates", env -> List.of(List.of("2020-01-01"), java.util.Arrays.asList(null, "2020-01-02"))))
                .type("Item", type -> type.typeResolver(env -> env.getSchema().getObjectType(
                        (String) ((Map<?, ?>) env.getObject()).get("__kind"))))
                .type("Anything", type -> type.typeResolver(env -> env.getSchema().getObjectType(
                        (String) ((Map<?, ?>) env.getObject()).get("__kind"))))
                .build();
        return GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring)).build();
    }

    private static ExecutionResult run(GraphQLRequest request) {
        graphql.ExecutionResult executed = GRAPHQL.execute(ExecutionInput.newExecutionInput(request.document())
                .operationName(request.operationName().orElse(null)).variables(request.variables()).build());
        assertThat(executed.getErrors()).isEmpty();
        return GraphQLJson.toResult(executed.toSpecification(), "test").build();
    }

    private final SchemaCoding coding = new SchemaCoding(Schema.fromSdl(SDL), SCALARS);

    @Test
    void interfacesUnionsFragmentsAndEnumsAreParsedByTypename() {
        GraphQLRequest request = gql("""
                query {
                  items { __typename id day: released kind ...FilmParts }
                  anything {
                    __typename
                    ... on Book { released pages }
                    ... on Film { kind premiere }
                  }
                }
                fragment FilmParts on Film { premiere minutes }""");

        Map<String, Object> data = coding.parseResult(request, run(request)).data();

        List<?> items = (List<?>) data.get("items");
        assertThat((Map<Object, Object>) (Map<?, ?>) items.get(0)).containsEntry("day", LocalDate.of(2001, 2, 3)).containsEntry("kind", Kind.BOOK)
                .doesNotContainKey("premiere");
        assertThat((Map<Object, Object>) (Map<?, ?>) items.get(1)).containsEntry("day", LocalDate.of(1999, 12, 31)).containsEntry("kind", Kind.FILM)
                .containsEntry("premiere", LocalDate.of(1999, 6, 1)).containsEntry("minutes", 120);
        List<?> anything = (List<?>) data.get("anything");
        assertThat((Map<Object, Object>) (Map<?, ?>) anything.get(0)).containsEntry("released", LocalDate.of(2001, 2, 3)).containsEntry("pages", 300);
        assertThat((Map<Object, Object>) (Map<?, ?>) anything.get(1)).containsEntry("kind", Kind.FILM).containsEntry("premiere", LocalDate.of(1999, 6, 1));
        assertThat(anything.get(2)).isNull();
    }

    @Test
    void throughAClientTheSameSchemaTypesTheAnswersEndToEnd() {
        try (dev.jgql.Client client = dev.jgql.Client.builder()
                .transport(dev.jgql.transport.local.LocalSchemaTransport.of(GRAPHQL))
                .schema(GRAPHQL.getGraphQLSchema())
                .scalars(SCALARS)
                .build();
             dev.jgql.Session session = client.connect()) {
            Map<String, Object> data = session.execute(gql("""
                    { anything { ... on Film { kind premiere } ...BookParts } }
                    fragment BookParts on Book { released }"""));
            List<?> anything = (List<?>) data.get("anything");
            assertThat((Map<Object, Object>) (Map<?, ?>) anything.get(0)).containsEntry("released", LocalDate.of(2001, 2, 3));
            assertThat((Map<Object, Object>) (Map<?, ?>) anything.get(1)).containsEntry("kind", Kind.FILM)
                    .containsEntry("premiere", LocalDate.of(1999, 6, 1));
            assertThatThrownBy(() -> session.execute(gql("{ items { pages } }")))
                    .isInstanceOf(dev.jgql.GraphQLValidationException.class)
                    .hasMessageContaining("'pages'");
        }
    }

    @Test
    void withoutTypenameEveryFragmentThatHasTheFieldApplies() {
        GraphQLRequest request = gql("""
                { first { ... on Book { released } ... on Film { premiere released } } dates }""");

        Map<String, Object> data = coding.parseResult(request, run(request)).data();

        assertThat((Map<Object, Object>) (Map<?, ?>) data.get("first")).containsEntry("premiere", LocalDate.of(1999, 6, 1))
                .containsEntry("released", LocalDate.of(1999, 12, 31));
        assertThat(data.get("dates")).isEqualTo(List.of(List.of(LocalDate.of(2020, 1, 1)),
                java.util.Arrays.asList(null, LocalDate.of(2020, 1, 2))));
    }

    @Test
    void skippedFieldsAndOperationsWithoutCustomTypesAreLeftAlone() {
        GraphQLRequest skipped = gql("query($no: Boolean!) { items { id released @include(if: $no) } }")
                .withVariables(Map.of("no", false));
        ExecutionResult answer = run(skipped);
        assertThat(coding.parseResult(skipped, answer).data()).isEqualTo(answer.data());

        GraphQLRequest plain = gql("{ items { id } }");
        ExecutionResult plainAnswer = run(plain);
        assertThat(coding.parseResult(plain, plainAnswer)).isSameAs(plainAnswer);
    }

    @Test
    void anEnumValueTheJavaEnumLacksNamesPathAndValue() {
        SchemaCoding narrow = new SchemaCoding(Schema.fromSdl(SDL), Scalars.builder()
                .enumType("Kind", OnlyBooks.class).build());
        GraphQLRequest request = gql("{ items { kind } }");
        assertThatThrownBy(() -> narrow.parseResult(request, run(request)))
                .isInstanceOf(ResultMappingException.class)
                .hasMessageContaining("items[1].kind (FILM) is not a valid Kind")
                .hasMessageContaining("'FILM' is not a constant");
    }

    enum OnlyBooks { BOOK }

    @Test
    void variablesOfEnumsAndListsAreSerialised() {
        Schema schema = Schema.fromSdl(SDL + "input Filter { kinds: [Kind!] since: Date }\n"
                + "extend type Query { search(filter: Filter, on: [Date]): [Item!]! }");
        SchemaCoding withInputs = new SchemaCoding(schema, SCALARS);
        GraphQLRequest request = gql("query($f: Filter, $on: [Date]) { search(filter: $f, on: $on) { id } }")
                .withVariables(Map.of("f", Map.of("kinds", List.of(Kind.FILM), "since", LocalDate.of(2000, 1, 1)),
                        "on", LocalDate.of(2001, 1, 1)));

        GraphQLRequest serialized = withInputs.serializeVariables(request);

        assertThat(serialized.variables()).isEqualTo(Map.of("f", Map.of("kinds", List.of("FILM"), "since", "2000-01-01"),
                "on", "2001-01-01"));
        assertThat(request.variables().get("on")).isEqualTo(LocalDate.of(2001, 1, 1)); // the caller's request is untouched
        GraphQLRequest none = gql("{ items { id } }");
        assertThat(withInputs.serializeVariables(none)).isSameAs(none);
    }
}
