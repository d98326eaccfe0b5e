package dev.jgql.cli;

/** The exit codes, documented in the help and the README; scripts rely on them. */
final class ExitCodes {
    /** The operation succeeded (a subscription ended, or was stopped with Ctrl-C). */
    static final int OK = 0;
    /** GraphQL errors: in the server's answer, or in the document (syntax, operation name). */
    static final int GRAPHQL_ERRORS = 1;
    /** The command line is wrong; nothing was sent. */
    static final int USAGE = 2;
    /** The server could not be reached, broke the link, or answered with something that is not GraphQL. */
    static final int TRANSPORT = 3;
    /** No answer within the execute timeout. */
    static final int TIMEOUT = 4;
    /** A query or mutation was interrupted with Ctrl-C before its answer: the shell's convention. */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
