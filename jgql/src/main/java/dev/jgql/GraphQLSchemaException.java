package dev.jgql;

/**
 * A schema could not be built or obtained: SDL that does not parse or is not a valid schema, an
 * introspection result with missing or broken types, or a server that refused introspection. The
 * message says which type or which step; the cause, when there is one, carries the details.
 *
 * <pre>{@code
 * try {
 *     Schema schema = Schema.fromSdl("type Query { hello: Strin }");
 * } catch (GraphQLSchemaException e) {
 *     // "The schema is not valid: ... type 'Strin' is not present ..."
 * }
 * }</pre>
 */
public class GraphQLSchemaException extends JgqlException {
    private static final long serialVersionUID = 1L;

    public GraphQLSchemaException(String message) {
        super(message);
    }

    public GraphQLSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
