package dev.jgql.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ConnectionState;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.OperationType;
import dev.jgql.ReconnectingSession;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The interactive mode: a JLine prompt with history and multi-line editing; every document runs on
 * one permanent session ({@code client.connectAsync(Reconnect)}), whose state the prompt shows and
 * whose changes are announced as they happen. Ctrl-C cancels the running operation (a
 * subscription is completed on the server) or clears the line; Ctrl-D or {@code \q} quits.
 */
final class Interactive {
    private static final String HELP = """
            Type a GraphQL document; Enter inside open braces continues it on the next line, Enter after the
            last closing brace runs it (an empty line runs it as it is). Up/Down browse the history. Ctrl-C
            cancels a running operation or clears the line.
              \\set NAME:VALUE  set a variable for the documents that declare it (like -V)
              \\unset NAME      forget a variable
              \\vars            show the variables
              \\schema          print the server's schema (SDL)
              \\help            this help
              \\quit, \\q       leave (or Ctrl-D)""";

    private final Settings settings;
    private final CliContext context;
    private final Reporter startupReporter;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> variables;

    Interactive(Settings settings, CliContext context, Reporter startupReporter) {
        this.settings = settings;
        this.context = context;
        this.startupReporter = startupReporter;
        this.variables = new ArrayList<>(settings.variables());
    }

    int run() {
        Terminal terminal;
        try {
            terminal = context.terminals().open();
        } catch (IOException e) {
            startupReporter.error("Cannot open the terminal for interactive mode: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (terminal.getWidth() <= 0) {
            // A pseudo-terminal nobody sized (script, some CI and serial consoles) reports 0 columns, and JLine
            // would cut the prompt down to nothing: assume the classic size.
            terminal.setSize(new Size(80, 24));
        }
        boolean capable = !terminal.getType().startsWith("dumb");
        ScheduledExecutorService spinnerThread = Spinner.threadFor(capable, context);
        PrintWriter out = terminal.writer();
        boolean color = settings.color().decide(capable, context);
        Reporter reporter = new Reporter(out, color, settings.debug()).about(settings.endpoint());
        JsonPrinter json = new JsonPrinter(mapper, settings.format() != Settings.Format.COMPACT, color);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jgql")
                .parser(new DocumentParser())
                // continuation lines: "... " right-aligned under the prompt (%P pads with the space after it)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P ... ")
                // '!' is GraphQL's non-null marker, not a history event to expand
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (settings.historyFile() != null) {
            builder.variable(LineReader.HISTORY_FILE, settings.historyFile());
        }
        LineReader reader = builder.build();
        try (terminal; Sessions sessions = new Sessions(settings.endpoint(), settings, context, reporter)) {
            ReconnectingSession session = sessions.connectPermanent(false, (from, to) -> {
                if (to != ConnectionState.CLOSED) {
                    reader.printAbove(paint("-- " + describe(to), style(to), terminal));
                    showInPrompt(reader, to, terminal);
                }
            }, new CompletableFuture<>());
            terminal.handle(Terminal.Signal.INT, signal -> context.interrupter().interrupt());
            out.println("jgql " + JgqlCli.Version.number() + " on " + settings.endpoint().display()
                    + ": \\help for help, Ctrl-D to quit.");
            out.flush();
            while (true) {
                String text;
                try {
                    text = reader.readLine(prompt(session.state(), terminal)).strip();
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt clears the line
                } catch (EndOfFileException e) {
                    break;
                }
                if (text.isEmpty()) {
                    continue;
                }
                ScheduledExecutorService ticks = spinnerThread != null ? spinnerThread : context.scheduler();
                Run run = new Run(session, sessions, out, reporter, json, () -> Spinner.start(capable, out, ticks,
                        context.clock(), "waiting for " + settings.endpoint().display()));
                if (text.startsWith("\\")) {
                    if (!command(text, run)) {
                        break;
                    }
                } else {
                    execute(text, run);
                }
            }
        } catch (IOException e) {
            startupReporter.warning("closing the terminal failed: " + e.getMessage());
        } finally {
            if (spinnerThread != null) {
                spinnerThread.shutdownNow();
            }
        }
        return ExitCodes.OK;
    }

    /** What one document needs to run. */
    private record Run(ReconnectingSession session, Sessions sessions, PrintWriter out, Reporter reporter,
            JsonPrinter json, Supplier<Spinner> spinners) {
        /** A spinner that appears if the answer takes longer than a second; close it before printing. */
        Spinner spinner() {
            return spinners.get();
        }
    }

    @SuppressWarnings("try") // the spinner is a resource for its closing, not for its use
    private void execute(String document, Run run) {
        CompletableFuture<Void> stop = context.interrupter().next();
        try {
            GraphQLRequest request = Gql.gql(document)
                    .withVariables(Variables.resolve(document, null, settings.variablesFile(), variables, mapper, null));
            if (request.operationType() == OperationType.SUBSCRIPTION) {
                if (settings.endpoint().kind() == Endpoint.Kind.HTTP) {
                    throw new UsageException("A subscription needs a WebSocket: start jgql with a ws:// or wss:// URL");
                }
                Operations.follow(run.session(), request, run.json().compact(), run.out(), run.reporter(), stop);
                return;
            }
            ExecutionResult result;
            try (Spinner spinner = run.spinner()) {
                result = Operations.await(run.session().executeForResult(request), run.sessions().answerLimit(), stop);
            }
            Operations.print(result, settings.fullResponse(), run.json(), run.out(), run.reporter());
        } catch (RuntimeException e) {
            run.reporter().failure(e, document);
        }
    }

    /** Runs a backslash command; {@code false} to quit. */
    private boolean command(String line, Run run) {
        String[] words = line.split("\\s+", 2);
        String argument = words.length > 1 ? words[1].strip() : "";
        switch (words[0]) {
            case "\\q", "\\quit", "\\exit" -> {
                return false;
            }
            case "\\help", "\\?" -> run.out().println(HELP);
            case "\\vars" -> run.out().println(variables.isEmpty() ? "(no variables)" : String.join("\n", variables));
            case "\\set" -> {
                int colon = argument.indexOf(':');
                if (colon <= 0) {
                    run.reporter().error("\\set NAME:VALUE, e.g. \\set code:EU");
                } else {
                    String name = argument.substring(0, colon);
                    variables.removeIf(variable -> variable.startsWith(name + ":"));
                    variables.add(argument);
                }
            }
            case "\\unset" -> variables.removeIf(variable -> variable.startsWith(argument + ":"));
            case "\\schema" -> schema(run);
            default -> run.reporter().error("Unknown command " + words[0] + "; \\help lists the commands");
        }
        run.out().flush();
        return true;
    }

    @SuppressWarnings("try") // the spinner is a resource for its closing, not for its use
    private void schema(Run run) {
        CompletableFuture<Void> stop = context.interrupter().next();
        try {
            ExecutionResult result;
            try (Spinner spinner = run.spinner()) {
                result = Operations.await(run.session().executeForResult(Introspection.request(settings.schemaDownload())),
                        run.sessions().answerLimit(), stop);
            }
            if (result.hasErrors()) {
                run.reporter().graphqlErrors(result.errors());
            } else {
                run.out().println(Introspection.sdl(result.data()));
            }
        } catch (RuntimeException e) {
            run.reporter().failure(e, null);
        }
    }

    /** Redraws the prompt being edited with the new state, so it never shows a stale one. */
    private void showInPrompt(LineReader reader, ConnectionState state, Terminal terminal) {
        if (reader instanceof LineReaderImpl editing && editing.isReading()) {
            try {
                editing.setPrompt(prompt(state, terminal));
                editing.callWidget(LineReader.REDRAW_LINE);
                editing.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException notReadingAnyMore) {
                // the line was accepted meanwhile: the next prompt shows the state
            }
        }
    }

    private String prompt(ConnectionState state, Terminal terminal) {
        return paint("jgql", AttributedStyle.BOLD, terminal) + " " + paint("[" + describe(state) + "]", style(state), terminal)
                + " " + settings.endpoint().display() + "> ";
    }

    private static String describe(ConnectionState state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static AttributedStyle style(ConnectionState state) {
        return switch (state) {
            case CONNECTED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case CONNECTING, RECONNECTING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case CLOSED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
        };
    }

    private String paint(String text, AttributedStyle style, Terminal terminal) {
        if (!settings.color().decide(!terminal.getType().startsWith("dumb"), context)) {
            return text;
        }
        return new AttributedStringBuilder().style(style).append(text).toAnsi(terminal);
    }
}
