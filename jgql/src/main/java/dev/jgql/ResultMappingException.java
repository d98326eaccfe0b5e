package dev.jgql;

/**
 * A result could not be turned into what was asked for: a {@link ExecutionResult#field field path}
 * that is not in the data, a value Jackson cannot build the requested type from, or a custom
 * scalar value its codec rejects. The message names the path and the value (shortened); the
 * cause carries Jackson's or the codec's own explanation. Nothing is lost: the result it came
 * from is still whole.
 *
 * <pre>{@code
 * try {
 *     Country country = result.field("country").toEntity(Country.class);
 * } catch (ResultMappingException e) {
 *     log.warn("unexpected answer shape: {}", e.getMessage());
 * }
 * }</pre>
 */
public class ResultMappingException extends JgqlException {
    private static final long serialVersionUID = 1L;

    public ResultMappingException(String message) {
        super(message);
    }

    public ResultMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
