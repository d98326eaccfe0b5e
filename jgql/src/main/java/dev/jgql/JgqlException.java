package dev.jgql;

/**
 * The root of every exception jgql throws. It is unchecked, so one {@code catch} covers all of
 * jgql's failures, and its subclasses tell them apart:
 *
 * <ul>
 *   <li>{@link GraphQLSyntaxException} and {@link GraphQLValidationException}: the document is
 *       wrong; found locally, nothing was sent.
 *   <li>{@link TransportException} and its subclasses: something went wrong between the client
 *       and the server, or the server answered with GraphQL errors.
 *   <li>{@link JgqlUsageException}: jgql was asked to do something it cannot do as asked
 *       (execute a subscription, use a closed session); nothing was sent.
 * </ul>
 * Builders check their arguments when they are set and report bad ones with the JDK's
 * {@link IllegalArgumentException} or {@link NullPointerException}, as every Java builder does.
 *
 * <pre>{@code
 * try {
 *     session.execute(query);
 * } catch (TransportQueryException e) {
 *     // the server answered with GraphQL errors: e.errors(), e.data()
 * } catch (JgqlException e) {
 *     // anything else jgql reports
 * }
 * }</pre>
 *
 * <p>No message ever contains a header value, a token or an init payload.
 */
public class JgqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JgqlException(String message) {
        super(message);
    }

    public JgqlException(String message, Throwable cause) {
        super(message, cause);
    }
}
