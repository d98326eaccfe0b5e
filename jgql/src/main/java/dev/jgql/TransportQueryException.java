package dev.jgql;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The server answered, and its answer holds GraphQL errors. The link works: retrying the same
 * request will not help, so retry policies never retry this exception by default. Partial data,
 * extensions, the HTTP status and headers stay reachable through {@link #result()}.
 *
 * <pre>{@code
 * try {
 *     session.execute(query);
 * } catch (TransportQueryException e) {
 *     for (GraphQLError error : e.errors()) {
 *         log.warn("{} at {}", error.message(), error.path());
 *     }
 *     Map<String, Object> partial = e.data(); // may be null
 * }
 * }</pre>
 */
public class TransportQueryException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final transient ExecutionResult result;

    public TransportQueryException(ExecutionResult result) {
        super(describe(result));
        this.result = result;
    }

    private static String describe(ExecutionResult result) {
        List<GraphQLError> errors = result.errors();
        StringBuilder message = new StringBuilder("The server answered with ")
                .append(errors.size()).append(errors.size() == 1 ? " GraphQL error" : " GraphQL errors");
        result.httpStatus().ifPresent(status -> message.append(" (HTTP ").append(status).append(')'));
        message.append(": ");
        for (int i = 0; i < Math.min(3, errors.size()); i++) {
            if (i > 0) {
                message.append("; ");
            }
            message.append(errors.get(i).message());
        }
        if (errors.size() > 3) {
            message.append("; and ").append(errors.size() - 3).append(" more");
        }
        return message.toString();
    }

    /** The whole answer: errors, partial data, extensions and transport metadata. */
    public ExecutionResult result() {
        return result;
    }

    /** The GraphQL errors; never empty. */
    public List<GraphQLError> errors() {
        return result.errors();
    }

    /** The partial data, or {@code null} when the operation produced none. */
    public Map<String, Object> data() {
        return result.data();
    }

    /** The response's {@code extensions}; empty when it had none. */
    public Map<String, Object> extensions() {
        return result.extensions();
    }

    /** The HTTP status the answer came with, when over HTTP. */
    public OptionalInt httpStatus() {
        return result.httpStatus();
    }

    /** {@code false}: the server answered; the same request gets the same errors. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
