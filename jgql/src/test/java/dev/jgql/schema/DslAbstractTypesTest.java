package dev.jgql.schema;

import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.GraphQLValidationException;
import dev.jgql.Session;
import dev.jgql.transport.local.LocalSchemaTransport;
import graphql.schema.GraphQLObjectType;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DSL on interfaces, unions, enums and input objects, built and run against a small zoo schema. */
class DslAbstractTypesTest {
    private static final String SDL = """
            type Query {
              search(text: String!): [SearchResult!]!
              node(id: ID!): Node
              animals(filter: AnimalFilter, order: Order = ASC): [Animal!]!
            }
            enum Order { ASC DESC }
            enum Kind { CAT DOG }
            input AnimalFilter { kind: Kind!, minLegs: Int, names: [String!] }
            interface Node { id: ID! }
            interface Animal { name: String! legs: Int! }
            type Cat implements Node & Animal { id: ID! name: String! legs: Int! lives: Int! }
            type Dog implements Node & Animal { id: ID! name: String! legs: Int! goodBoy: Boolean! }
            type Person implements Node { id: ID! name: String! pets: [Animal!]! }
            union SearchResult = Cat | Dog | Person
            """;
    private static final Map<String, Object> TOM = Map.of("__kind", "Cat", "id", "c1", "name", "Tom", "legs", 4, "lives", 9);
    private static final Map<String, Object> REX = Map.of("__kind", "Dog", "id", "d1", "name", "Rex", "legs", 4, "goodBoy", true);
    private static final Map<String, Object> ANN = Map.of("__kind", "Person", "id", "p1", "name", "Ann", "pets", List.of(TOM));

    private final DslSchema ds = DslSchema.of(Schema.fromSdl(SDL));

    private static void fails(ThrowingCallable building, String... messageParts) {
        assertThatThrownBy(building).isInstanceOf(GraphQLValidationException.class).message().contains(messageParts);
    }

    /** Runs a request on the zoo schema, in-process; the filter argument it received is kept in the answer's order. */
    private static Map<String, Object> run(GraphQLRequest request, Map<String, Object> variables) {
        graphql.schema.TypeResolver byKind = env -> env.getSchema().getObjectType(
                (String) ((Map<?, ?>) env.getObject()).get("__kind"));
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type
                        .dataFetcher("search", env -> List.of(TOM, REX, ANN))
                        .dataFetcher("node", env -> List.of(TOM, REX, ANN).stream()
                                .filter(node -> node.get("id").equals(env.getArgument("id"))).findFirst().orElse(null))
                        .dataFetcher("animals", env -> {
                            Map<String, Object> filter = env.getArgument("filter");
                            List<Map<String, Object>> animals = List.of(TOM, REX).stream()
                                    .filter(animal -> filter == null || animal.get("__kind").equals(
                                            filter.get("kind").equals("CAT") ? "Cat" : "Dog"))
                                    .toList();
                            List<Map<String, Object>> ordered = new java.util.ArrayList<>(animals);
                            if ("DESC".equals(env.getArgument("order"))) {
                                java.util.Collections.reverse(ordered);
                            }
                            return ordered;
                        }))
                .type("Node", type -> type.typeResolver(byKind))
                .type("Animal", type -> type.typeResolver(byKind))
                .type("SearchResult", type -> type.typeResolver(byKind))
                .build();
        LocalSchemaTransport transport = LocalSchemaTransport.of(
                new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL), wiring));
        try (Client client = Client.builder().transport(transport).build(); Session session = client.connect()) {
            return session.execute(request, variables);
        }
    }

    @Test
    void aUnionIsQueriedWithTypenameAndInlineFragmentsOnItsMembers() {
        GraphQLRequest request = ds.query("search")
                .select(ds.field("Query", "search").arg("text", "a").select(
                        ds.typename(),
                        ds.inlineFragment("Cat").select("name", "lives"),
                        ds.inlineFragment("Person").select(ds.field("Person", "name"),
                                ds.field("Person", "pets").select(ds.field("Animal", "name")))))
                .toRequest();

        assertThat(request.document()).isEqualTo("""
                query search {
                  search(text: "a") {
                    __typename
                    ... on Cat {
                      name
                      lives
                    }
                    ... on Person {
                      name
                      pets {
                        name
                      }
                    }
                  }
                }
                """);
        assertThat(run(request, Map.of())).isEqualTo(Map.of("search", List.of(
                Map.of("__typename", "Cat", "name", "Tom", "lives", 9),
                Map.of("__typename", "Dog"),
                Map.of("__typename", "Person", "name", "Ann", "pets", List.of(Map.of("name", "Tom"))))));
    }

    @Test
    void interfaceFieldsAreSelectableOnTheInterfaceAndOnItsImplementations() {
        DslFragment nodeId = ds.fragment("NodeId", "Node").select("id");
        GraphQLRequest request = ds.query("animals")
                .select(ds.field("Query", "animals").select(
                        ds.field("Animal", "name"),
                        ds.inlineFragment("Cat").select(ds.field("Animal", "legs"), ds.field("Node", "id")),
                        ds.inlineFragment("Dog").select("goodBoy"),
                        nodeId))
                .toRequest();

        assertThat(run(request, Map.of())).isEqualTo(Map.of("animals", List.of(
                Map.of("name", "Tom", "legs", 4, "id", "c1"),
                Map.of("name", "Rex", "goodBoy", true, "id", "d1"))));
    }

    @Test
    void inputObjectsAndEnumsAreConvertedFromJavaValues() {
        GraphQLRequest request = ds.query("dogs")
                .select(ds.field("Query", "animals")
                        .arg("filter", Map.of("kind", "DOG", "minLegs", 3, "names", List.of("Rex")))
                        .arg("order", "DESC")
                        .select("name"))
                .toRequest();

        assertThat(request.document()).contains("animals(filter: {kind : DOG, minLegs : 3, names : [\"Rex\"]}, order: DESC)");
        assertThat(run(request, Map.of())).isEqualTo(Map.of("animals", List.of(Map.of("name", "Rex"))));
    }

    @Test
    void anInputObjectVariableWithADefaultIsDeclaredAndUsed() {
        DslVariable filter = ds.variable("filter", "AnimalFilter").defaultValue(Map.of("kind", "CAT"));
        GraphQLRequest request = ds.query("filtered")
                .select(ds.field("Query", "animals").arg("filter", filter).select("name"))
                .toRequest();

        assertThat(request.document()).startsWith("query filtered($filter: AnimalFilter = {kind : CAT}) {");
        assertThat(run(request, Map.of())).isEqualTo(Map.of("animals", List.of(Map.of("name", "Tom"))));
        assertThat(run(request, Map.of("filter", Map.of("kind", "DOG")))).isEqualTo(Map.of("animals", List.of(Map.of("name", "Rex"))));
    }

    @Test
    void aFragmentOnAnInterfaceMaySpreadInAUnionThatSharesAnObjectWithIt() {
        DslFragment named = ds.fragment("Named", "Animal").select("name");

        GraphQLRequest request = ds.query("q").select(ds.field("Query", "search").arg("text", "x").select(named)).toRequest();

        assertThat(run(request, Map.of())).isEqualTo(Map.of("search", List.of(Map.of("name", "Tom"), Map.of("name", "Rex"),
                Map.of())));
    }

    @Test
    void wrongEnumValuesAndInputFieldsAreRefusedWithTheExpectedType() {
        DslField animals = ds.field("Query", "animals");

        fails(() -> animals.arg("order", "UP"), "Query.animals(order:) expects Order, not \"UP\" (String)");
        fails(() -> animals.arg("filter", Map.of("kind", "BIRD")), "Query.animals(filter:) expects AnimalFilter, not {kind=BIRD} (");
        fails(() -> animals.arg("filter", Map.of("minLegs", 3)), "Query.animals(filter:) expects AnimalFilter, not {minLegs=3}");
        fails(() -> animals.arg("filter", Map.of("kind", "CAT", "color", "red")), "Query.animals(filter:) expects AnimalFilter");
        fails(() -> animals.arg("filter", "CAT"), "Query.animals(filter:) expects AnimalFilter, not \"CAT\" (String)");
    }

    @Test
    void aUnionHasNoFieldsButTypename() {
        DslField search = ds.field("Query", "search").arg("text", "x");

        fails(() -> search.select("name"), "Query.search is the union SearchResult, which has no field 'name': select __typename, "
                + "or fields inside inline fragments on its members: Cat, Dog, Person");
        fails(() -> search.select(ds.field("Cat", "name")), "Cat.name cannot be selected in Query.search, which is of type "
                + "SearchResult (select it inside an inline fragment on Cat); SearchResult is a union");
        fails(() -> ds.query("q").select(search), "Query.search is of type [SearchResult!]!, a union: select __typename or inline "
                + "fragments on its members: Cat, Dog, Person");
    }

    @Test
    void anImplementationsOwnFieldNeedsAnInlineFragmentOnIt() {
        fails(() -> ds.field("Query", "animals").select(ds.field("Cat", "lives")),
                "Cat.lives cannot be selected in Query.animals, which is of type Animal (select it inside an inline fragment on Cat)");
        fails(() -> ds.field("Query", "animals").select(ds.inlineFragment("Person").select("name")),
                "The inline fragment on Person cannot be selected in Query.animals, which is of type Animal: no object is both "
                        + "Animal and Person (Animal can be: Cat, Dog)");
    }

    @Test
    void customScalarsOfAnSdlSchemaTakeTheirValuesAsJsonLikeLiterals() {
        DslSchema events = DslSchema.of(Schema.fromSdl("""
                scalar DateTime
                scalar JSON
                type Query { eventsAfter(time: DateTime!, meta: JSON): [String!]! }"""));

        DslField field = events.field("Query", "eventsAfter")
                .arg("time", "2026-12-01T17:00:00Z")
                .arg("meta", Map.of("tags", List.of("a", "b")));

        assertThat(field).hasToString("eventsAfter(time: \"2026-12-01T17:00:00Z\", meta: {tags : [\"a\", \"b\"]})");
        assertThat(events.query("q").select(field).toRequest().document()).contains("eventsAfter(time: \"2026-12-01T17:00:00Z\"");
        fails(() -> events.field("Query", "eventsAfter").arg("time", null), "Query.eventsAfter(time:) expects DateTime!, not null");
    }

    @Test
    void theSchemaLookupsSeeTheRealTypes() {
        assertThat(ds.schema().graphQLSchema().getType("Cat")).isInstanceOf(GraphQLObjectType.class);
        assertThat(ds.fragment("F", "Animal").typeCondition()).isEqualTo("Animal");
        assertThat(ds.fragment("F", "Animal").name()).isEqualTo("F");
    }
}
