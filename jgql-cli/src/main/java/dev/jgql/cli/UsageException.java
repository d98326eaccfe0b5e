package dev.jgql.cli;

/** The command line asks for something that cannot be done; reported with exit code 2 and nothing sent. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
