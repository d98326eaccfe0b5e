package dev.jgql.maven;

import static dev.jgql.maven.Sources.countriesSchema;
import static dev.jgql.maven.Sources.source;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.schema.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad operations fail the generation with where they are and what is wrong. */
class CodeGeneratorErrorsTest {
    private static CodeGenerator generator() {
        return new CodeGenerator(Schema.fromSdl(countriesSchema()).graphQLSchema(), Map.of(), "acme");
    }

    @Test
    void invalidOperationGivesFileLineAndColumn() {
        assertThatThrownBy(() -> generator().generate(List.of(source("ops/bad.graphql", """
                query getContinent($code: ID!) {
                  continent(code: $code) { nam }
                }"""))))
                .isInstanceOf(CodegenException.class)
                .hasMessage("ops/bad.graphql:2:28: Field 'nam' in type 'Continent' is undefined (operation getContinent)");
    }

    @Test
    void unknownTypeIsAValidationError() {
        assertThatThrownBy(() -> generator().generate(List.of(source("bad.graphql", """
                query byCode($code: Code!) {
                  continent(code: $code) { name }
                }"""))))
                .isInstanceOf(CodegenException.class)
                .hasMessageStartingWith("bad.graphql:1:21: ")
                .hasMessageContaining("Code");
    }

    @Test
    void everyProblemOfEveryFileIsReported() {
        assertThatThrownBy(() -> generator().generate(List.of(
                source("a.graphql", "query one { continent(code: \"EU\") { nam } }"),
                source("b.graphql", "query two { countries { code nme } }"))))
                .isInstanceOf(CodegenException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((CodegenException) e).problems())
                        .containsExactly(
                                "a.graphql:1:37: Field 'nam' in type 'Continent' is undefined (operation one)",
                                "b.graphql:1:30: Field 'nme' in type 'Country' is undefined (operation two)"));
    }

    @Test
    void syntaxErrorGivesFileLineAndColumn() {
        assertThatThrownBy(() -> generator().generate(List.of(source("broken.graphql", "query q {\n  continents { name \n"))))
                .isInstanceOf(CodegenException.class)
                .hasMessageStartingWith("broken.graphql:3:1: syntax error: ");
    }

    @Test
    void duplicateOperationNamesAreRejectedWithBothPlaces() {
        assertThatThrownBy(() -> generator().generate(List.of(
                source("a.graphql", "query continents { continents { code } }"),
                source("b.graphql", "\nquery continents { continents { name } }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessage("b.graphql:2:1: duplicate operation name continents (also at a.graphql:1:1): operation "
                        + "names must be unique across the files");
    }

    @Test
    void operationsThatWouldShareAClassAreRejected() {
        assertThatThrownBy(() -> generator().generate(List.of(
                source("a.graphql", "query continents { continents { code } }\nquery Continents { continents { name } }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessage("a.graphql:2:1: operation Continents would generate ContinentsQuery, like the operation at "
                        + "a.graphql:1:1: rename one of them");
    }

    @Test
    void duplicateFragmentNamesAreRejected() {
        assertThatThrownBy(() -> generator().generate(List.of(
                source("a.graphql", "fragment F on Country { code }"),
                source("b.graphql", "fragment F on Country { name }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessageContaining("b.graphql:1:1: duplicate fragment name F (also at a.graphql:1:1)");
    }

    @Test
    void anonymousOperationIsRejected() {
        assertThatThrownBy(() -> generator().generate(List.of(source("anon.graphql", "{ continents { code } }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessage("anon.graphql:1:1: anonymous query: give it a name, which names its generated class "
                        + "(e.g. query getContinent)");
    }

    @Test
    void undefinedFragmentIsAValidationError() {
        assertThatThrownBy(() -> generator().generate(List.of(
                source("a.graphql", "query q { continents { ...Missing } }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessageStartingWith("a.graphql:1:24: ")
                .hasMessageContaining("Missing");
    }

    @Test
    void schemaDefinitionsInOperationFilesAreRejected() {
        assertThatThrownBy(() -> generator().generate(List.of(source("a.graphql", "type Extra { a: Int }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessageStartingWith("a.graphql:1:1: only operations and fragments belong in operation files");
    }

    @Test
    void badScalarTypeIsRejected() {
        assertThatThrownBy(() -> new CodeGenerator(Schema.fromSdl(countriesSchema()).graphQLSchema(),
                Map.of("DateTime", "java.time.OffsetDateTime<>"), "acme"))
                .isInstanceOf(CodegenException.class)
                .hasMessageContaining("scalar DateTime");
    }

    @Test
    void typeThatWouldHideJavaLangIsRejected() {
        assertThatThrownBy(() -> new CodeGenerator(Schema.fromSdl("""
                enum Override { A }
                type Query { o: Override }""").graphQLSchema(), Map.of(), "acme")
                .generate(List.of(source("a.graphql", "query q { o }"))))
                .isInstanceOf(CodegenException.class)
                .hasMessageContaining("enum Override of the schema would generate a type named Override");
    }
}
