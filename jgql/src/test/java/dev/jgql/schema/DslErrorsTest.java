package dev.jgql.schema;

import dev.jgql.GraphQLValidationException;
import dev.jgql.transport.local.LocalCountries;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every mistake the DSL catches while a request is built, each with a message that says what exists. */
class DslErrorsTest {
    private final DslSchema ds = DslSchema.of(Schema.fromSdl(LocalCountries.sdl()));

    private static void fails(ThrowingCallable building, String... messageParts) {
        assertThatThrownBy(building).isInstanceOf(GraphQLValidationException.class).message().contains(messageParts);
    }

    @Test
    void anUnknownTypeListsTheSchemasTypes() {
        fails(() -> ds.field("Contnent", "name"), "The schema has no type 'Contnent'; its types are: BigDecimal, Boolean, "
                + "Continent, Country, DateTime, Float, ID, Int, Language, Mutation, Period, Place, Query, SearchResult, StoredFile, "
                + "String, Subscription, Upload");
    }

    @Test
    void aTypeWithoutFieldsListsTheTypesWithFields() {
        fails(() -> ds.field("String", "length"), "Type String is a scalar, which has no fields; the types with fields are: "
                + "Continent, Country, Language, Mutation, Place, Query, StoredFile, Subscription");
    }

    @Test
    void anUnknownFieldListsTheTypesFields() {
        fails(() -> ds.field("Continent", "nam"), "Type Continent has no field 'nam'; its fields are: code, name, countries "
                + "(and __typename)");
        fails(() -> ds.field("Query", "continent").arg("code", "EU").select("code", "nme"),
                "Type Continent has no field 'nme'; its fields are: code, name, countries");
    }

    @Test
    void anUnknownArgumentListsTheFieldsArguments() {
        fails(() -> ds.field("Mutation", "increment").arg("step", 1),
                "Mutation.increment has no argument 'step'; its arguments are: by: Int, requestId: String");
        fails(() -> ds.field("Query", "continents").arg("code", "EU"), "Query.continents has no argument 'code'; it takes none");
        fails(() -> ds.typename().arg("x", 1), "__typename takes no arguments");
    }

    @Test
    void anArgumentOfTheWrongTypeNamesTheArgumentAndTheExpectedType() {
        fails(() -> ds.field("Mutation", "increment").arg("by", "two"),
                "Mutation.increment(by:) expects Int, not \"two\" (String): ");
        fails(() -> ds.field("Subscription", "countdown").arg("from", 1.5),
                "Subscription.countdown(from:) expects Int!, not 1.5 (Double)");
        fails(() -> ds.field("Query", "continent").arg("code", null), "Query.continent(code:) expects ID!, not null");
        fails(() -> ds.field("Query", "continent").arg("code", List.of("EU", "AF")),
                "Query.continent(code:) expects ID!, not [EU, AF] (", "): a list is not a single value");
        fails(() -> ds.field("Mutation", "increment").arg("requestId", Map.of("id", 1)),
                "Mutation.increment(requestId:) expects String, not {id=1} (", "): a map is not a single value");
    }

    @Test
    void aSelectionBelowALeafFieldIsRefused() {
        fails(() -> ds.field("Continent", "name").select("code"), "Continent.name is a leaf field of type String!: "
                + "it has no fields to select");
        fails(() -> ds.field("Mutation", "increment").select(ds.typename()), "Mutation.increment is a leaf field of type Int!");
        fails(() -> ds.typename().select("name"), "__typename is a leaf field of type String!");
    }

    @Test
    void anObjectFieldWithoutASelectionCannotBeSelected() {
        DslField continent = ds.field("Query", "continent").arg("code", "EU");

        fails(() -> ds.query("q").select(continent), "Query.continent is of type Continent, an object type: select at least "
                + "one of its fields: code, name, countries (and __typename)");
        fails(() -> ds.query("q").select("continents"), "Query.continents is of type [Continent!]!, an object type");
        fails(() -> ds.fragment("F", "Continent").select("countries"), "Continent.countries is of type [Country!]!");
    }

    @Test
    void aFieldWithoutItsRequiredArgumentsCannotBeSelected() {
        fails(() -> ds.query("q").select(ds.field("Query", "continent").select("name")),
                "Query.continent needs the argument(s) code: ID!; give them with arg(name, value)");
        fails(() -> ds.subscription("s").select("countdown"), "Subscription.countdown needs the argument(s) from: Int!");
    }

    @Test
    void aFieldOfAnotherTypeCannotBeSelected() {
        fails(() -> ds.field("Query", "continent").arg("code", "EU").select(ds.field("Country", "name")),
                "Country.name cannot be selected in Query.continent, which is of type Continent (select it inside an inline "
                        + "fragment on Country); Continent's fields are: code, name, countries");
        fails(() -> ds.query("q").select(ds.field("Mutation", "increment")), "Mutation.increment cannot be selected in the query q");
    }

    @Test
    void aFragmentOnAnUnknownOrNonCompositeTypeIsRefused() {
        fails(() -> ds.fragment("F", "Nation"), "The schema has no type 'Nation'; its types are: ");
        fails(() -> ds.fragment("F", "Int"), "Type Int is a scalar, not an object, interface or union; those are: Continent, "
                + "Country, Language, Mutation, Place, Query, SearchResult, StoredFile, Subscription");
        fails(() -> ds.inlineFragment("Nation"), "The schema has no type 'Nation'");
    }

    @Test
    void aFragmentOnATypeThatCannotBeThereIsRefused() {
        DslFragment countryParts = ds.fragment("CountryParts", "Country").select("name");

        fails(() -> ds.field("Query", "continent").arg("code", "EU").select(countryParts),
                "The fragment CountryParts on Country cannot be spread in Query.continent, which is of type Continent: no object "
                        + "is both Continent and Country");
        fails(() -> ds.field("Query", "continent").arg("code", "EU").select(ds.inlineFragment("Country").select("name")),
                "The inline fragment on Country cannot be selected in Query.continent");
    }

    @Test
    void anEmptyFragmentCannotBeUsed() {
        fails(() -> ds.query("q").select(ds.field("Query", "continents").select(ds.fragment("F", "Continent"))),
                "The fragment F on Continent selects nothing: select fields of Continent in it before using it");
        fails(() -> ds.query("q").select(ds.inlineFragment("Query")), "The inline fragment on Query selects nothing");
        fails(() -> ds.inlineFragment().select("name"), "An inline fragment without a type condition cannot select fields by name");
    }

    @Test
    void aFieldInAnInlineFragmentWithoutTypeConditionIsCheckedWhereTheFragmentIsSelected() {
        DslInlineFragment group = ds.inlineFragment().select(ds.field("Country", "name"));

        fails(() -> ds.field("Query", "continent").arg("code", "EU").select(group),
                "Country.name cannot be selected in Query.continent, which is of type Continent");
    }

    @Test
    void aVariableOfAnUnknownMalformedOrOutputTypeIsRefused() {
        fails(() -> ds.variable("code", "Code!"), "The schema has no type 'Code'");
        fails(() -> ds.variable("code", "ID!!"), "The type of $code, 'ID!!', is not a GraphQL type such as ID!, [String] or [Int!]!");
        fails(() -> ds.variable("c", "Continent"), "Type Continent is an object type, not an input type (scalar, enum or input "
                + "object); those are: BigDecimal, Boolean, DateTime, Float, ID, Int, Period, String, Upload");
        fails(() -> ds.variable("$code", "ID"), "'$code' is not a valid variable name");
    }

    @Test
    void aVariableDefaultOfTheWrongTypeIsRefused() {
        fails(() -> ds.variable("by", "Int").defaultValue("five"), "The default value of $by expects Int, not \"five\" (String)");
        fails(() -> ds.variable("codes", "[ID!]").defaultValue(java.util.Arrays.asList("EU", null)),
                "The default value of $codes expects [ID!], not [EU, null]");
    }

    @Test
    void aVariableOfTheWrongTypeForItsArgumentFailsTheWholeDocumentsValidation() {
        DslVariable code = ds.variable("code", "String");
        DslOperation query = ds.query("q").select(ds.field("Query", "continent").arg("code", code).select("name"));

        assertThatThrownBy(query::toRequest).isInstanceOfSatisfying(GraphQLValidationException.class, e -> {
            assertThat(e.getMessage()).contains("The query 'q' does not validate against the schema (1 problem; nothing was sent)",
                    "line 2, column 19", "Variable 'code' of type 'String' used in position expecting type 'ID!'");
            assertThat(e.errors()).hasSize(1);
        });
    }

    @Test
    void aDirectiveWhereItIsNotAllowedFailsTheWholeDocumentsValidation() {
        DslOperation query = ds.query("q").select(ds.field("Query", "counter").directive("@deprecated", Map.of()));

        fails(query::toRequest, "does not validate against the schema", "Directive 'deprecated' not allowed here");
    }

    @Test
    void anUnknownDirectiveOrDirectiveArgumentIsRefused() {
        fails(() -> ds.field("Query", "counter").directive("cached", Map.of()), "The schema has no directive @cached; its "
                + "directives are: @defer, @deprecated, ");
        fails(() -> ds.field("Query", "counter").directive("include", Map.of("when", true)),
                "Directive @include has no argument 'when'; its arguments are: if: Boolean!");
        fails(() -> ds.field("Query", "counter").directive("include", Map.of()), "Directive @include needs the argument(s) if: Boolean!");
        fails(() -> ds.field("Query", "counter").directive("skip", Map.of("if", "yes")),
                "@skip(if:) expects Boolean!, not \"yes\" (String)");
    }

    @Test
    void twoDifferentVariablesOrFragmentsWithOneNameAreRefused() {
        DslField increment = ds.field("Mutation", "increment");
        DslOperation twoBys = ds.mutation("m").select(increment.alias("a").arg("by", ds.variable("by", "Int")),
                increment.alias("b").arg("by", ds.variable("by", "Int!")));
        fails(twoBys::toRequest, "Two different variables are named $by: $by: Int and $by: Int!; give them different names");

        DslOperation twoFragments = ds.query("q").select(ds.field("Query", "continents").select(
                ds.fragment("F", "Continent").select("code"), ds.fragment("F", "Continent").select("name")));
        fails(twoFragments::toRequest, "Two different fragments are named F:", "fragment F on Continent { code }",
                "fragment F on Continent { name }");
    }

    @Test
    void anOperationThatSelectsNothingIsRefused() {
        fails(() -> ds.query("q").toRequest(), "the query q selects nothing: select at least one field of Query: continents, ");
    }

    @Test
    void anOperationTypeTheSchemaLacksIsRefused() {
        DslSchema queriesOnly = DslSchema.of(Schema.fromSdl("type Query { a: Int }"));

        fails(() -> queriesOnly.mutation("m"), "The schema has no mutation type, so it has no mutations; its root types are: query Query");
        fails(() -> queriesOnly.subscription("s"), "The schema has no subscription type");
    }

    @Test
    void namesThatAreNotGraphQLNamesAreRefused() {
        fails(() -> ds.field("Query", "counter").alias("my-counter"), "'my-counter' is not a valid alias");
        fails(() -> ds.query("get continent"), "'get continent' is not a valid operation name");
        fails(() -> ds.fragment("1st", "Country"), "'1st' is not a valid fragment name");
    }

    @Test
    void aVariableInsideAListOrInputObjectIsRefusedWithTheWayOut() {
        fails(() -> ds.field("Query", "continent").arg("code", List.of(ds.variable("code", "ID!"))),
                "Query.continent(code:): a variable can only be a whole argument value");
    }

    @Test
    void nullsAreRefusedWhereJavaWouldThrowThem() {
        assertThatThrownBy(() -> ds.field("Query", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ds.query("q").select((DslSelection) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DslSchema.of(null)).isInstanceOf(NullPointerException.class);
    }
}
