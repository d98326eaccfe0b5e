package dev.jgql.cli;

import dev.jgql.GraphQLSyntaxException;
import dev.jgql.GraphQLValidationException;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportTimeoutException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What each failure means for the exit code. */
final class Failures {
    private Failures() {
    }

    /** The failure itself, without the wrappers futures put around it. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * The exit code of a failure: 1 for the document or the server's GraphQL errors (a syntax error
     * found here is the error the server would have answered), 2 for the command line, 4 for a
     * timeout, 3 for every other transport or connection failure.
     */
    static int exitCode(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof GraphQLSyntaxException || cause instanceof GraphQLValidationException
                || cause instanceof TransportQueryException) {
            return ExitCodes.GRAPHQL_ERRORS;
        }
        if (cause instanceof UsageException) {
            return ExitCodes.USAGE;
        }
        if (cause instanceof Operations.Interrupted) {
            return ExitCodes.INTERRUPTED;
        }
        if (cause instanceof TransportTimeoutException) {
            return ExitCodes.TIMEOUT;
        }
        if (cause instanceof TransportException) {
            return ExitCodes.TRANSPORT;
        }
        return ExitCodes.TRANSPORT; // an unexpected failure; reported with its stack trace
    }

    /** Whether a failure is one the CLI expects and explains in one line (otherwise it is a bug). */
    static boolean isExpected(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof dev.jgql.JgqlException || cause instanceof UsageException
                || cause instanceof Operations.Interrupted;
    }

    /** Whether a connection failed because the host name does not resolve. */
    static boolean isUnknownHost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.nio.channels.UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** An I/O failure in words: the JDK names only the file for the common cases. */
    static String describeIo(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
