package dev.jgql;

import java.util.List;

/**
 * The document parses but cannot be sent as it is: it holds no operation, several operations and
 * no operation name, or an operation name it does not contain; or, when the client knows the
 * schema ({@link Client.Builder#schema}), it does not validate against it. Raised locally;
 * nothing reaches the network. {@link #errors()} lists every problem with its line and column.
 *
 * <pre>{@code
 * GraphQLRequest both = Gql.gql("query A { a } query B { b }", "B"); // fine
 * Gql.gql("query A { a } query B { b }");                             // GraphQLValidationException
 *
 * try {
 *     session.execute(Gql.gql("{ continent(code: \"EU\") { nam } }"));
 * } catch (GraphQLValidationException e) {
 *     e.errors().forEach(error -> log.warn("{} at {}", error.message(), error.locations()));
 * }
 * }</pre>
 */
public final class GraphQLValidationException extends JgqlException {
    private static final long serialVersionUID = 1L;

    private final transient List<GraphQLError> errors;

    public GraphQLValidationException(String message) {
        super(message);
        this.errors = List.of();
    }

    /**
     * A request that does not validate against the schema.
     *
     * @param request the request, named in the message (never its variables)
     * @param errors  every problem found
     */
    public GraphQLValidationException(GraphQLRequest request, List<GraphQLError> errors) {
        super(message(request, errors));
        this.errors = List.copyOf(errors);
    }

    private static String message(GraphQLRequest request, List<GraphQLError> errors) {
        StringBuilder text = new StringBuilder("The ").append(request.operationType().name().toLowerCase(java.util.Locale.ROOT));
        request.selectedOperationName().ifPresent(name -> text.append(" '").append(name).append('\''));
        text.append(" does not validate against the schema (").append(errors.size())
                .append(errors.size() == 1 ? " problem" : " problems").append("; nothing was sent):");
        for (GraphQLError error : errors) {
            text.append("\n  ");
            if (!error.locations().isEmpty()) {
                GraphQLError.Location where = error.locations().get(0);
                text.append("line ").append(where.line()).append(", column ").append(where.column()).append(": ");
            }
            text.append(error.message());
        }
        return text.toString();
    }

    /** @return every validation problem, with its locations; empty for the problems of operation selection */
    public List<GraphQLError> errors() {
        return errors == null ? List.of() : errors;
    }
}
