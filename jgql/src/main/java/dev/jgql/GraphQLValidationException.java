package dev.jgql;

/**
 * The document parses but cannot be sent as it is: it holds no operation, several operations and
 * no operation name, or an operation name it does not contain. Raised locally; nothing reaches the
 * network.
 *
 * <pre>{@code
 * GraphQLRequest both = Gql.gql("query A { a } query B { b }", "B"); // fine
 * Gql.gql("query A { a } query B { b }");                             // GraphQLValidationException
 * }</pre>
 */
public final class GraphQLValidationException extends JgqlException {
    private static final long serialVersionUID = 1L;

    public GraphQLValidationException(String message) {
        super(message);
    }
}
