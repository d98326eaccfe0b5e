package dev.jgql.cli;

import dev.jgql.transport.ws.WebSocketProtocol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command line, checked: everything a run needs, with the defaults applied.
 *
 * @param webSocketProtocol the protocol to force, or {@code null} to negotiate
 * @param document          the document given with {@code -q}, or {@code null}
 * @param documentFile      the file given with {@code -f}, or {@code null}
 * @param operationName     {@code -o}, or {@code null}
 * @param variablesFile     {@code --variables-file}, or {@code null}
 * @param historyFile       interactive history, or {@code null} for none
 */
record Settings(Endpoint endpoint, Engine engine, WebSocketProtocol webSocketProtocol, Map<String, String> headers,
        Duration executeTimeout, String document, Path documentFile, String operationName, List<String> variables,
        Path variablesFile, boolean reconnecting, boolean printSchema, List<String> schemaDownload, boolean schemaJson,
        boolean fullResponse, boolean interactive, Path historyFile, When color, Format format, boolean debug) {

    /** {@code --color}. */
    enum When {
        AUTO, ALWAYS, NEVER;

        boolean decide(boolean terminal, CliContext context) {
            return this == ALWAYS || this == AUTO && terminal && context.coloursAllowed();
        }
    }

    /** {@code --format}. */
    enum Format {
        AUTO, PRETTY, COMPACT;

        boolean pretty(boolean terminal) {
            return this == PRETTY || this == AUTO && terminal;
        }
    }
}
