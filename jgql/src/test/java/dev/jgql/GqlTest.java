package dev.jgql;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GqlTest {

    @Test
    void parsesASingleQueryAndKnowsItsType() {
        GraphQLRequest request = gql("query getContinentName($code: ID!) { continent(code: $code) { name } }");

        assertThat(request.operationType()).isEqualTo(OperationType.QUERY);
        assertThat(request.operationName()).isEmpty();
        assertThat(request.variables()).isEmpty();
        assertThat(request.document()).startsWith("query getContinentName");
    }

    @Test
    void recognisesMutationsAndSubscriptions() {
        assertThat(gql("mutation { increment }").operationType()).isEqualTo(OperationType.MUTATION);
        assertThat(gql("subscription { countdown(from: 3) }").operationType()).isEqualTo(OperationType.SUBSCRIPTION);
        assertThat(gql("{ continents { code } }").operationType()).isEqualTo(OperationType.QUERY);
    }

    @Test
    void syntaxErrorsCarryLineAndColumn() {
        assertThatThrownBy(() -> gql("query {\n  continent(code: \"EU\" { name }\n}"))
                .isInstanceOfSatisfying(GraphQLSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isPositive();
                    assertThat(e.getMessage()).contains("line 2");
                })
                .isInstanceOf(JgqlException.class);
    }

    @Test
    void severalOperationsNeedAName() {
        String document = "query A { a } mutation B { b }";

        assertThatThrownBy(() -> gql(document))
                .isInstanceOf(GraphQLValidationException.class)
                .hasMessageContaining("2 operations")
                .hasMessageContaining("[A, B]");
        GraphQLRequest b = gql(document, "B");
        assertThat(b.operationType()).isEqualTo(OperationType.MUTATION);
        assertThat(b.operationName()).contains("B");
    }

    @Test
    void unknownOperationNameIsALocalError() {
        assertThatThrownBy(() -> gql("query A { a }", "Nope"))
                .isInstanceOf(GraphQLValidationException.class)
                .hasMessageContaining("'Nope'")
                .hasMessageContaining("[A]");
        assertThatThrownBy(() -> gql("query A { a } query B { b }", "A").withOperationName("C"))
                .isInstanceOf(GraphQLValidationException.class);
    }

    @Test
    void aDocumentWithoutOperationsIsRejected() {
        assertThatThrownBy(() -> gql("fragment F on Query { a }"))
                .isInstanceOf(GraphQLValidationException.class)
                .hasMessageContaining("no operation");
    }

    @Test
    void withMethodsReturnNewRequestsAndKeepTheOriginal() {
        GraphQLRequest both = gql("query A { a } mutation B { b }", "A");
        GraphQLRequest withVariables = both.withVariables(Map.of("code", "EU"));
        GraphQLRequest asB = withVariables.withOperationName("B");

        assertThat(both.variables()).isEmpty();
        assertThat(withVariables.variables()).containsEntry("code", "EU");
        assertThat(asB.operationType()).isEqualTo(OperationType.MUTATION);
        assertThat(asB.variables()).containsEntry("code", "EU");
        assertThat(asB.withExtensions(Map.of("k", 1)).extensions()).containsEntry("k", 1);
    }

    @Test
    void variablesAreCopiedAndMayHoldNulls() {
        Map<String, Object> variables = new HashMap<>();
        variables.put("cursor", null);
        GraphQLRequest request = gql("query($cursor: String) { a(c: $cursor) }").withVariables(variables);
        variables.put("later", 1);

        assertThat(request.variables()).containsOnlyKeys("cursor");
        assertThatThrownBy(() -> request.variables().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toStringNeverShowsVariableValues() {
        GraphQLRequest request = gql("query($token: String) { a(t: $token) }").withVariables(Map.of("token", "s3cret"));

        assertThat(request.toString()).contains("token").doesNotContain("s3cret");
    }
}
