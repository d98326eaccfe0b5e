package dev.jgql;

/**
 * jgql was asked to do something it cannot do as asked: execute a subscription, subscribe over a
 * transport that cannot stream, use a session that is closed or does not exist. Nothing was sent.
 * The message says what to do instead.
 *
 * <pre>{@code
 * try {
 *     session.execute(Gql.gql("subscription { countdown(from: 3) }"));
 * } catch (JgqlUsageException e) {
 *     // "execute runs queries and mutations; use subscribe for ..."
 * }
 * }</pre>
 */
public class JgqlUsageException extends JgqlException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong and what to do
     */
    public JgqlUsageException(String message) {
        super(message);
    }
}
