package dev.jgql;

/**
 * The document given to {@link Gql#gql(String)} is not valid GraphQL syntax. Raised locally while
 * parsing; nothing reaches the network.
 *
 * <pre>{@code
 * try {
 *     Gql.gql("query { continent(code: \"EU\" { name } }");
 * } catch (GraphQLSyntaxException e) {
 *     System.err.println("line " + e.line() + ", column " + e.column() + ": " + e.getMessage());
 * }
 * }</pre>
 */
public final class GraphQLSyntaxException extends JgqlException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public GraphQLSyntaxException(String message, int line, int column, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
    }

    /** The 1-based line of the offending token, or -1 when the parser did not say. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending token, or -1 when the parser did not say. */
    public int column() {
        return column;
    }
}
