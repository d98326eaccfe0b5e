package dev.jgql;

import graphql.language.Document;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;

/**
 * Parses GraphQL documents into {@link GraphQLRequest}s, locally and once: a syntax error is found
 * here, with its line and column, and never reaches the network.
 *
 * <pre>{@code
 * import static dev.jgql.Gql.gql;
 *
 * GraphQLRequest query = gql("query { continents { code name } }");
 * GraphQLRequest one = gql("query A { a } query B { b }", "B");
 * }</pre>
 */
public final class Gql {
    private Gql() {
    }

    /**
     * Parses a document that holds exactly one operation.
     *
     * @throws GraphQLSyntaxException     if the text is not valid GraphQL
     * @throws GraphQLValidationException if the document holds no operation or several
     */
    public static GraphQLRequest gql(String document) {
        return GraphQLRequest.of(document, parse(document), null);
    }

    /**
     * Parses a document and selects the named operation.
     *
     * @throws GraphQLSyntaxException     if the text is not valid GraphQL
     * @throws GraphQLValidationException if the document has no operation of that name
     */
    public static GraphQLRequest gql(String document, String operationName) {
        java.util.Objects.requireNonNull(operationName, "operationName");
        return GraphQLRequest.of(document, parse(document), operationName);
    }

    private static Document parse(String document) {
        java.util.Objects.requireNonNull(document, "document");
        try {
            return Parser.parse(document);
        } catch (InvalidSyntaxException e) {
            SourceLocation location = e.getLocation();
            int line = location == null ? -1 : location.getLine();
            int column = location == null ? -1 : location.getColumn();
            String where = location == null ? "" : " at line " + line + ", column " + column;
            throw new GraphQLSyntaxException("Invalid GraphQL document" + where + ": " + e.getMessage(),
                    line, column, e);
        }
    }
}
