package dev.jgql.transport.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.TransportProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphQLJsonTest {
    private final ObjectMapper mapper = GraphQLJson.defaultMapper();

    @Test
    void writesOnlyTheKeysTheRequestHas() throws Exception {
        byte[] bare = GraphQLJson.writeRequest(mapper, gql("{ a }"));
        assertThat(mapper.readTree(bare).fieldNames()).toIterable().containsExactly("query");

        byte[] full = GraphQLJson.writeRequest(mapper, gql("query Q($c: ID) { a(c: $c) }", "Q")
                .withVariables(Map.of("c", "EU")).withExtensions(Map.of("persistedQuery", Map.of("version", 1))));
        Map<String, Object> json = GraphQLJson.readObject(mapper, full, "request");
        assertThat(json).containsEntry("query", "query Q($c: ID) { a(c: $c) }")
                .containsEntry("operationName", "Q")
                .containsEntry("variables", Map.of("c", "EU"))
                .containsEntry("extensions", Map.of("persistedQuery", Map.of("version", 1)));
    }

    @Test
    void parsesDataErrorsAndExtensions() {
        Map<String, Object> json = GraphQLJson.readObject(mapper, """
                {"data":{"a":1},"errors":[{"message":"boom","locations":[{"line":1,"column":3}],
                  "path":["a",0],"extensions":{"code":"X"}}],"extensions":{"cost":2}}""", "test");

        ExecutionResult result = GraphQLJson.toResult(json, "test").build();

        assertThat(result.data()).containsEntry("a", 1);
        assertThat(result.extensions()).containsEntry("cost", 2);
        assertThat(result.errors()).containsExactly(new GraphQLError("boom",
                List.of(new GraphQLError.Location(1, 3)), List.of("a", 0), Map.of("code", "X")));
    }

    @Test
    void tellsARequestErrorFromNullData() {
        ExecutionResult requestError = GraphQLJson.toResult(
                GraphQLJson.readObject(mapper, "{\"errors\":[{\"message\":\"bad\"}]}", "t"), "t").build();
        ExecutionResult nullData = GraphQLJson.toResult(
                GraphQLJson.readObject(mapper, "{\"data\":null,\"errors\":[{\"message\":\"bad\"}]}", "t"), "t").build();

        assertThat(requestError.isDataPresent()).isFalse();
        assertThat(nullData.isDataPresent()).isTrue();
        assertThat(nullData.data()).isNull();
    }

    @Test
    void truncatedOrTrailingGarbageIsAProtocolError() {
        assertThatThrownBy(() -> GraphQLJson.readObject(mapper, "{\"data\":{\"a\":", "The body"))
                .isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("The body")
                .hasMessageContaining("{\"data\":{\"a\":");
        assertThatThrownBy(() -> GraphQLJson.readObject(mapper, "{\"data\":{}} trailing", "The body"))
                .isInstanceOf(TransportProtocolException.class);
        assertThatThrownBy(() -> GraphQLJson.readObject(mapper, "[1,2]", "The body"))
                .isInstanceOf(TransportProtocolException.class);
        assertThatThrownBy(() -> GraphQLJson.readObject(mapper, "null", "The body"))
                .isInstanceOf(TransportProtocolException.class);
    }

    @Test
    void jsonWithoutDataOrErrorsIsNotAGraphQLResponse() {
        assertThatThrownBy(() -> GraphQLJson.toResult(GraphQLJson.readObject(mapper, "{\"status\":\"ok\"}", "t"), "t"))
                .isInstanceOf(TransportProtocolException.class)
                .hasMessageContaining("neither 'data' nor 'errors'")
                .hasMessageContaining("status");
    }

    @Test
    void badlyShapedErrorsAreProtocolErrors() {
        assertThatThrownBy(() -> GraphQLJson.toResult(GraphQLJson.readObject(mapper, "{\"errors\":\"boom\"}", "t"), "t"))
                .isInstanceOf(TransportProtocolException.class);
        assertThatThrownBy(() -> GraphQLJson.toResult(GraphQLJson.readObject(mapper, "{\"errors\":[1]}", "t"), "t"))
                .isInstanceOf(TransportProtocolException.class);
        assertThatThrownBy(() -> GraphQLJson.toResult(GraphQLJson.readObject(mapper, "{\"data\":[1]}", "t"), "t"))
                .isInstanceOf(TransportProtocolException.class);
    }

    @Test
    void excerptsAreShortAndSingleLine() {
        String excerpt = GraphQLJson.excerpt(("<html>\n" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        assertThat(excerpt).doesNotContain("\n").hasSizeLessThanOrEqualTo(201);
        assertThat(GraphQLJson.excerpt(new byte[0])).isEqualTo("(empty body)");
    }
}
