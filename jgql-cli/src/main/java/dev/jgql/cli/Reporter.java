package dev.jgql.cli;

import dev.jgql.GraphQLError;
import dev.jgql.GraphQLSyntaxException;
import dev.jgql.TransportQueryException;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything meant for people that is not the result: errors, warnings and notices, on stderr,
 * red and yellow on a terminal. One line per problem, prefixed with {@code jgql:} so it stands out
 * in a script's log.
 */
final class Reporter {
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter err;
    private final boolean color;
    private final boolean stackTraces;
    private final String endpoint;

    Reporter(PrintWriter err, boolean color, boolean stackTraces) {
        this(err, color, stackTraces, null);
    }

    private Reporter(PrintWriter err, boolean color, boolean stackTraces, String endpoint) {
        this.err = err;
        this.color = color;
        this.stackTraces = stackTraces;
        this.endpoint = endpoint;
    }

    /** The same reporter, naming this endpoint where jgql's own message would mislead. */
    Reporter about(Endpoint server) {
        return new Reporter(err, color, stackTraces, server.display());
    }

    /** The stream this reporter writes to, for the spinner, which shares the line discipline. */
    PrintWriter stream() {
        return err;
    }

    void error(String message) {
        line(paint(RED, "error:") + " " + message);
    }

    void warning(String message) {
        line(paint(YELLOW, "warning:") + " " + message);
    }

    /** Something worth knowing that is not a problem, e.g. a resubscription. */
    void notice(String message) {
        line(paint(DIM, message));
    }

    /** The server's GraphQL errors, one line each, with where in the document and in the result. */
    void graphqlErrors(List<GraphQLError> errors) {
        for (GraphQLError error : errors) {
            StringBuilder text = new StringBuilder(error.message());
            if (!error.locations().isEmpty()) {
                text.append(" (").append(error.locations().stream()
                        .map(location -> "line " + location.line() + ", column " + location.column())
                        .collect(Collectors.joining("; "))).append(')');
            }
            if (!error.path().isEmpty()) {
                text.append(" at ").append(path(error.path()));
            }
            Object code = error.extensions().getOrDefault("code", error.extensions().get("classification"));
            if (code != null) {
                text.append(" [").append(code).append(']');
            }
            line(paint(RED, "GraphQL error:") + " " + text);
        }
    }

    /**
     * Reports a failure in words and returns its exit code. A syntax error shows the line of the
     * document with a caret under the column.
     */
    int failure(Throwable failure, String document) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof TransportQueryException query) {
            graphqlErrors(query.errors());
        } else if (cause instanceof GraphQLSyntaxException syntax) {
            error(syntax.getMessage());
            excerpt(document, syntax.line(), syntax.column());
        } else if (Failures.isUnknownHost(cause)) {
            // jgql's own message calls this "connection refused" (the JDK wraps the resolver's failure in a
            // ConnectException without a message), which sends the user looking for the wrong problem.
            error("Unknown host: the name in " + (endpoint == null ? "the URL" : endpoint)
                    + " could not be resolved; the request was not sent");
            if (stackTraces) {
                cause.printStackTrace(err);
            }
        } else if (Failures.isExpected(cause)) {
            error(cause.getMessage());
            if (stackTraces) {
                cause.printStackTrace(err);
            }
        } else {
            error("unexpected " + cause + " (a bug in jgql; please report it with this trace)");
            cause.printStackTrace(err);
        }
        err.flush();
        return Failures.exitCode(cause);
    }

    private void excerpt(String document, int line, int column) {
        String[] lines = document == null ? new String[0] : document.split("\r\n|\r|\n", -1);
        if (line < 1 || line > lines.length) {
            return;
        }
        String number = String.valueOf(line);
        err.println("  " + number + " | " + lines[line - 1]);
        err.println("  " + " ".repeat(number.length()) + " | " + " ".repeat(Math.max(0, column - 1)) + paint(RED, "^"));
    }

    private static String path(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Number) {
                text.append('[').append(segment).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(segment);
            }
        }
        return text.toString();
    }

    private void line(String text) {
        err.println("jgql: " + text);
        err.flush();
    }

    private String paint(String colour, String text) {
        return color ? colour + text + RESET : text;
    }
}
