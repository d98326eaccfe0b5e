package dev.jgql;

/**
 * The kind of a GraphQL operation. Decides how jgql may treat it: queries may go over GET and be
 * retried freely; mutations are never sent over GET and never retried once they may have reached
 * the server; subscriptions need a streaming transport.
 *
 * <pre>{@code
 * if (request.operationType() == OperationType.MUTATION) { ... }
 * }</pre>
 */
public enum OperationType {
    QUERY,
    MUTATION,
    SUBSCRIPTION
}
