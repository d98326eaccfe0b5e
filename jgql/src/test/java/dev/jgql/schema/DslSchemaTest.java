package dev.jgql.schema;

import dev.jgql.BlockingSubscription;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.OperationType;
import dev.jgql.Session;
import dev.jgql.transport.local.LocalCountries;
import dev.jgql.transport.local.LocalSchemaTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DSL's happy paths on the countries schema: the printed documents, exactly, and what they
 * return when executed (in-process, on the countries data of {@link LocalCountries}).
 */
@Timeout(30)
class DslSchemaTest {
    private final LocalCountries backend = new LocalCountries();
    private final DslSchema ds = DslSchema.of(Schema.fromSdl(LocalCountries.sdl()));
    private final Client client = Client.builder().transport(LocalSchemaTransport.of(backend.graphQL())).build();
    private final Session session = client.connect();

    @AfterEach
    void close() {
        session.close();
        client.close();
    }

    @Test
    void theIssuesExampleBuildsAVariableAliasesAndNestedSelectionsAndRuns() {
        DslVariable code = ds.variable("code", "ID!");
        GraphQLRequest request = ds.query("getContinent")
                .variables(code)
                .select(ds.field("Query", "continent").arg("code", code)
                        .select(ds.field("Continent", "name"),
                                ds.field("Continent", "countries").alias("c").select("code", "name")))
                .toRequest();

        assertThat(request.document()).isEqualTo("""
                query getContinent($code: ID!) {
                  continent(code: $code) {
                    name
                    c: countries {
                      code
                      name
                    }
                  }
                }
                """);
        assertThat(request.operationName()).contains("getContinent");
        assertThat(request.operationType()).isEqualTo(OperationType.QUERY);
        assertThat(session.execute(request, Map.of("code", "EU"))).isEqualTo(Map.of("continent", Map.of(
                "name", "Europe",
                "c", List.of(Map.of("code", "FR", "name", "France"), Map.of("code", "DE", "name", "Germany")))));
    }

    @Test
    void variablesUsedInArgumentsAreDeclaredWithoutBeingListed() {
        DslVariable code = ds.variable("code", "ID!");
        GraphQLRequest request = ds.query("country")
                .select(ds.field("Query", "country").arg("code", code).select("name", "capital"))
                .toRequest();

        assertThat(request.document()).startsWith("query country($code: ID!) {");
        assertThat(session.execute(request, Map.of("code", "SN")))
                .isEqualTo(Map.of("country", Map.of("name", "Senegal", "capital", "Dakar")));
    }

    @Test
    void literalArgumentsAreConvertedWithTheSchemasTypesAndTheSameFieldCanBeAliasedTwice() {
        DslField country = ds.field("Query", "country").select("name");
        GraphQLRequest request = ds.query("two")
                .select(country.alias("fr").arg("code", "FR"), country.alias("de").arg("code", "DE"))
                .toRequest();

        assertThat(request.document()).isEqualTo("""
                query two {
                  fr: country(code: "FR") {
                    name
                  }
                  de: country(code: "DE") {
                    name
                  }
                }
                """);
        assertThat(session.execute(request))
                .isEqualTo(Map.of("fr", Map.of("name", "France"), "de", Map.of("name", "Germany")));
    }

    @Test
    void anArgumentGivenTwiceKeepsTheLastValueAndArgsTakesAMap() {
        DslField field = ds.field("Mutation", "increment").arg("by", 1).args(Map.of("by", 7, "requestId", "r-1"));

        assertThat(field).hasToString("increment(by: 7, requestId: \"r-1\")");
    }

    @Test
    void aMutationWithAVariableDefaultRunsWithAndWithoutTheVariable() {
        DslVariable by = ds.variable("by", "Int").defaultValue(5);
        GraphQLRequest increment = ds.mutation("increment")
                .select(ds.field("Mutation", "increment").arg("by", by))
                .toRequest();

        assertThat(increment.document()).isEqualTo("""
                mutation increment($by: Int = 5) {
                  increment(by: $by)
                }
                """);
        assertThat(increment.operationType()).isEqualTo(OperationType.MUTATION);
        assertThat(session.execute(increment)).isEqualTo(Map.of("increment", 5));
        assertThat(session.execute(increment, Map.of("by", 2))).isEqualTo(Map.of("increment", 7));
        assertThat(backend.counter).hasValue(7);
    }

    @Test
    void anAnonymousQuerySelectsRootFieldsByName() {
        GraphQLRequest request = ds.query().select("counter").toRequest();

        assertThat(request.document()).isEqualTo("""
                {
                  counter
                }
                """);
        assertThat(request.operationName()).isEmpty();
        assertThat(session.execute(request)).isEqualTo(Map.of("counter", 0));
    }

    @Test
    void typenameIsSelectableEverywhereAndCanBeAliased() {
        GraphQLRequest request = ds.query("kinds")
                .select(ds.typename().alias("root"),
                        ds.field("Query", "continent").arg("code", "AF").select(ds.typename(), ds.field("Continent", "name")))
                .toRequest();

        assertThat(session.execute(request)).isEqualTo(Map.of("root", "Query",
                "continent", Map.of("__typename", "Continent", "name", "Africa")));
    }

    @Test
    void aNamedFragmentIsDefinedOnceHoweverOftenItIsSpreadWithTheFragmentsItUses() {
        DslFragment language = ds.fragment("LanguageParts", "Language").select("code", "native");
        DslFragment country = ds.fragment("CountryParts", "Country")
                .select(ds.field("Country", "name"), ds.field("Country", "languages").select(language));
        GraphQLRequest request = ds.query("fragments")
                .select(ds.field("Query", "country").alias("fr").arg("code", "FR").select(country),
                        ds.field("Query", "country").alias("de").arg("code", "DE").select(country),
                        ds.field("Query", "languages").select(language))
                .toRequest();

        assertThat(request.document()).isEqualTo("""
                query fragments {
                  fr: country(code: "FR") {
                    ...CountryParts
                  }
                  de: country(code: "DE") {
                    ...CountryParts
                  }
                  languages {
                    ...LanguageParts
                  }
                }

                fragment CountryParts on Country {
                  name
                  languages {
                    ...LanguageParts
                  }
                }

                fragment LanguageParts on Language {
                  code
                  native
                }
                """);
        assertThat(session.execute(request)).isEqualTo(Map.of(
                "fr", Map.of("name", "France", "languages", List.of(Map.of("code", "fr", "native", "Français"))),
                "de", Map.of("name", "Germany", "languages", List.of(Map.of("code", "de", "native", "Deutsch"))),
                "languages", List.of(Map.of("code", "fr", "native", "Français"), Map.of("code", "de", "native", "Deutsch"))));
        assertThat(country.definitionText()).isEqualTo(
                "fragment CountryParts on Country { name languages { ...LanguageParts } }");
    }

    @Test
    void includeAndSkipWithVariablesAndLiteralsDecideWhatTheServerReturns() {
        DslVariable withCapital = ds.variable("withCapital", "Boolean!");
        GraphQLRequest request = ds.query("maybe")
                .select(ds.field("Query", "country").arg("code", "FR").select(
                        ds.field("Country", "name").skip(false),
                        ds.field("Country", "emoji").include(false),
                        ds.field("Country", "capital").include(withCapital)))
                .toRequest();

        assertThat(request.document()).contains("query maybe($withCapital: Boolean!)",
                "name @skip(if: false)", "emoji @include(if: false)", "capital @include(if: $withCapital)");
        assertThat(session.execute(request, Map.of("withCapital", true)))
                .isEqualTo(Map.of("country", Map.of("name", "France", "capital", "Paris")));
        assertThat(session.execute(request, Map.of("withCapital", false)))
                .isEqualTo(Map.of("country", Map.of("name", "France")));
    }

    @Test
    void anInlineFragmentWithoutATypeConditionGroupsFieldsUnderOneDirective() {
        DslVariable details = ds.variable("details", "Boolean!");
        GraphQLRequest request = ds.query("grouped")
                .select(ds.field("Query", "country").arg("code", "DE").select(
                        ds.field("Country", "name"),
                        ds.inlineFragment().include(details).select(ds.field("Country", "capital"),
                                ds.field("Country", "native")),
                        ds.inlineFragment("Country").select("code")))
                .toRequest();

        assertThat(request.document()).contains("... @include(if: $details) {", "... on Country {");
        assertThat(session.execute(request, Map.of("details", true)))
                .isEqualTo(Map.of("country", Map.of("name", "Germany", "capital", "Berlin", "native", "Germany", "code", "DE")));
        assertThat(session.execute(request, Map.of("details", false)))
                .isEqualTo(Map.of("country", Map.of("name", "Germany", "code", "DE")));
    }

    @Test
    void aSubscriptionIsBuiltAndStreamsItsEvents() {
        DslVariable from = ds.variable("from", "Int!");
        GraphQLRequest countdown = ds.subscription("countdown")
                .select(ds.field("Subscription", "countdown").arg("from", from).arg("intervalMs", 0))
                .toRequest();

        assertThat(countdown.document()).isEqualTo("""
                subscription countdown($from: Int!) {
                  countdown(from: $from, intervalMs: 0)
                }
                """);
        List<Object> events = new ArrayList<>();
        try (BlockingSubscription<Map<String, Object>> stream = session.subscribeBlocking(countdown.withVariables(Map.of("from", 2)))) {
            stream.forEachRemaining(event -> events.add(event.get("countdown")));
        }
        assertThat(events).containsExactly(2, 1, 0);
    }

    @Test
    void valuesAreImmutableSoABaseFieldCanBeReused() {
        DslField base = ds.field("Query", "continent").arg("code", "EU");
        DslField names = base.select("name");
        DslField codes = base.alias("codes").select("code");

        assertThat(base).hasToString("continent(code: \"EU\")");
        assertThat(names).hasToString("continent(code: \"EU\") { name }");
        assertThat(codes).hasToString("codes: continent(code: \"EU\") { code }");
        assertThat(codes.name()).isEqualTo("continent");
        assertThat(codes.responseKey()).isEqualTo("codes");
    }

    @Test
    void variablesPrintTheirDefinitionAndCompareByIt() {
        DslVariable codes = ds.variable("codes", "[ID!]").defaultValue(List.of("EU", "AF"));

        assertThat(codes).hasToString("$codes: [ID!] = [\"EU\", \"AF\"]");
        assertThat(codes.name()).isEqualTo("codes");
        assertThat(codes.type()).isEqualTo("[ID!]");
        assertThat(codes).isEqualTo(ds.variable("codes", "[ID!]").defaultValue(List.of("EU", "AF")))
                .isNotEqualTo(ds.variable("codes", "[ID!]"));
    }

    @Test
    void theOperationPrintsItsDocumentAndSaysWhenItIsIncomplete() {
        assertThat(ds.query("q").select("counter")).hasToString("query q {\n  counter\n}\n");
        assertThat(ds.query("q").toString()).startsWith("the query q (incomplete: the query q selects nothing");
    }
}
