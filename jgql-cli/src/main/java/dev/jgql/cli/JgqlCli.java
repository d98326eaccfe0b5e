package dev.jgql.cli;

import dev.jgql.transport.ws.WebSocketProtocol;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Signals;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The jgql command line: runs a GraphQL document against a server and prints the answer as JSON,
 * follows subscriptions, prints the schema, or opens an interactive session. The counterpart of
 * gql's {@code gql-cli}.
 *
 * <pre>{@code
 * echo '{ continent(code: "EU") { name } }' | java -jar jgql-cli.jar http://127.0.0.1:4000/graphql
 * java -jar jgql-cli.jar ws://127.0.0.1:4000/graphql -q 'subscription { countdown(from: 3) }'
 * java -jar jgql-cli.jar http://127.0.0.1:4000/graphql --print-schema
 * }</pre>
 *
 * <p>Exit codes: 0 ok, 1 GraphQL errors (the server's, or a syntax error in the document), 2 usage,
 * 3 transport or connection failure, 4 timeout; 130 when Ctrl-C interrupts a query or mutation
 * (Ctrl-C ends a subscription cleanly, with 0). {@link #run} is the same program for embedding and
 * tests: it never exits the JVM.
 */
@Command(name = "jgql", sortOptions = false, usageHelpAutoWidth = true, versionProvider = JgqlCli.Version.class,
        description = {
            "Runs a GraphQL document against the server at URL and prints the answer as JSON.",
            "The document comes from standard input, -f FILE or -q DOCUMENT. With none of them on a terminal, "
                    + "jgql opens an interactive session (prompt, history, multi-line editing) on one permanent session.",
            "The URL's scheme picks the transport: http(s):// GraphQL over HTTP, ws(s):// GraphQL over WebSocket "
                    + "(needed for subscriptions).",
            ""},
        footer = {
            "",
            "Output: pretty, coloured JSON on a terminal, compact JSON when piped; a subscription prints one JSON line",
            "per event. Errors and notices go to standard error. NO_COLOR in the environment turns colours off.",
            "",
            "Exit codes:",
            "  0  ok (a subscription ended, or was stopped with Ctrl-C)",
            "  1  GraphQL errors: in the answer, or in the document (syntax errors show line and column)",
            "  2  usage: the command line is wrong; nothing was sent",
            "  3  transport: the server could not be reached, broke the link, or did not answer GraphQL",
            "  4  timeout: no answer within --execute-timeout",
            "  130  Ctrl-C interrupted a query or mutation (it was cancelled)",
            "",
            "Examples:",
            "  echo '{ continent(code: \"EU\") { name } }' | jgql http://127.0.0.1:4000/graphql",
            "  jgql http://127.0.0.1:4000/graphql -q 'query($code: ID!) { country(code: $code) { name } }' -V code:FR",
            "  jgql ws://127.0.0.1:4000/graphql -q 'subscription { countdown(from: 3, intervalMs: 500) }'",
            "  jgql http://127.0.0.1:4000/graphql --print-schema > schema.graphqls"})
public final class JgqlCli implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "The GraphQL endpoint: http://, https://, ws:// or wss://.")
    String url;

    @Option(names = {"-q", "--query"}, paramLabel = "DOCUMENT",
            description = "The GraphQL document (query, mutation or subscription) as an argument.")
    String document;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the GraphQL document from FILE.")
    Path documentFile;

    @Option(names = {"-o", "--operation-name"}, paramLabel = "NAME",
            description = "The operation to run when the document holds several.")
    String operationName;

    @Option(names = {"-V", "--variable"}, paramLabel = "NAME:VALUE",
            description = {"A variable; repeatable. VALUE is JSON when it parses as JSON (3, true, [1,2], {\"a\":1}),",
                "else text; always text for a variable declared String or ID."})
    List<String> variables = new ArrayList<>();

    @Option(names = "--variables-file", paramLabel = "FILE",
            description = "A JSON object of variables; -V values are applied on top.")
    Path variablesFile;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "A header for every HTTP request or the WebSocket handshake; repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--transport", paramLabel = "auto|http|ws", defaultValue = "auto",
            description = "Override the transport the URL's scheme picks (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--ws-protocol", paramLabel = "auto|graphql-transport-ws|graphql-ws", defaultValue = "auto",
            description = "The WebSocket protocol; auto offers graphql-transport-ws and falls back to the legacy graphql-ws.")
    String webSocketProtocol;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "jdk", completionCandidates = Engine.Names.class,
            description = "The HTTP/WebSocket engine: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--execute-timeout", paramLabel = "SECONDS|none", defaultValue = "10",
            description = "How long an operation may take before it fails with exit code 4 (default: ${DEFAULT-VALUE}).")
    String executeTimeout;

    @Option(names = "--reconnecting",
            description = {"Run on jgql's permanent session: reconnect with backoff when the link breaks, retry queries,",
                "and resubscribe a subscription (said on standard error)."})
    boolean reconnecting;

    @Option(names = "--print-schema", description = "Print the server's schema as SDL, fetched by introspection.")
    boolean printSchema;

    @Option(names = "--schema-download", paramLabel = "NAME:BOOL",
            description = {"Tune the introspection query (gql-cli's names): descriptions, input_value_deprecation,",
                "specified_by_url, schema_description, directive_is_repeatable, input_object_one_of."})
    List<String> schemaDownload = new ArrayList<>();

    @Option(names = "--schema-json", description = "With --print-schema: the raw introspection JSON instead of SDL.")
    boolean schemaJson;

    @Option(names = "--full-response",
            description = "Print the whole response (errors, data, extensions) instead of its data.")
    boolean fullResponse;

    @Option(names = {"-i", "--interactive"}, description = "Open an interactive session even if standard input is not a terminal.")
    boolean interactive;

    @Option(names = "--history", paramLabel = "FILE",
            description = "Interactive history file (default: ~/.jgql_history; 'none' keeps no history).")
    String history;

    @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
            description = "Colours on standard output and error (default: ${DEFAULT-VALUE}: on a terminal).")
    String color;

    @Option(names = "--format", paramLabel = "auto|pretty|compact", defaultValue = "auto",
            description = "JSON layout (default: ${DEFAULT-VALUE}: pretty on a terminal, compact when piped).")
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Log what jgql does (connections, retries) on standard error.")
    boolean verbose;

    @Option(names = "--debug", description = "Log every message exchanged (secrets redacted), and show stack traces.")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    private CliContext context;
    private PrintWriter out;
    private PrintWriter err;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        configureLogging(args);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        boolean[] terminals = TerminalDetection.systemStreams();
        CliContext context = CliContext.of(System.in, out, err)
                .withTerminals(terminals[0], terminals[1], terminals[2])
                .withEnvironment(System.getenv())
                .withTerminalFactory(() -> TerminalBuilder.builder().name("jgql").system(true).build())
                .withSignals(JgqlCli::watchSignals);
        int status = run(args, context);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Runs the command line with these streams, none of them a terminal, and returns the exit
     * code; the JVM keeps running. For embedding and tests.
     *
     * <pre>{@code
     * int status = JgqlCli.run(new String[] {"http://127.0.0.1:4000/graphql", "-q", "{ counter }"},
     *         InputStream.nullInputStream(), System.out, System.err);
     * }</pre>
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, CliContext.of(in, out, err));
    }

    static int run(String[] args, CliContext context) {
        JgqlCli command = new JgqlCli();
        command.context = context;
        command.out = new PrintWriter(new OutputStreamWriter(context.out(), StandardCharsets.UTF_8), true);
        command.err = new PrintWriter(new OutputStreamWriter(context.err(), StandardCharsets.UTF_8), true);
        CommandLine commandLine = new CommandLine(command)
                .setOut(command.out)
                .setErr(command.err)
                .setParameterExceptionHandler((problem, arguments) -> {
                    command.err.println("jgql: error: " + problem.getMessage());
                    command.err.println(problem.getCommandLine().getHelp().synopsis(0).stripTrailing());
                    command.err.println("Run 'jgql --help' for every option.");
                    return ExitCodes.USAGE;
                });
        return commandLine.execute(args);
    }

    /**
     * While an operation runs, Ctrl-C and SIGTERM cancel it and close the link instead of killing
     * the JVM mid-exchange (a subscription is completed on the server); before and after, they
     * exit as usual. Interactive mode leaves Ctrl-C to JLine.
     */
    private static Runnable watchSignals(Runnable onSignal) {
        Map<String, Object> previous = new LinkedHashMap<>();
        for (String signal : List.of("INT", "TERM")) {
            previous.put(signal, Signals.register(signal, onSignal));
        }
        return () -> previous.forEach(Signals::unregister);
    }

    @Override
    public Integer call() {
        Reporter reporter = new Reporter(err, colorWhen().decide(context.errIsTerminal(), context), debug);
        Settings settings;
        try {
            settings = settings();
        } catch (UsageException e) {
            return reporter.failure(e, null);
        }
        if (settings.interactive()) {
            return new Interactive(settings, context, reporter.about(settings.endpoint())).run();
        }
        return new OneShot(settings, context, out, reporter.about(settings.endpoint())).run();
    }

    /** Checks the command line and applies the defaults. */
    Settings settings() {
        Endpoint endpoint = Endpoint.parse(url, choice(transport, Endpoint.Choice.class, "--transport"));
        if (document != null && documentFile != null) {
            throw new UsageException("Give the document once: -q DOCUMENT or -f FILE, not both");
        }
        boolean documentGiven = document != null || documentFile != null;
        if (printSchema && documentGiven) {
            throw new UsageException("--print-schema sends its own introspection query: leave out -q and -f");
        }
        if (interactive && (documentGiven || printSchema)) {
            throw new UsageException("--interactive reads documents at its prompt: leave out -q, -f and --print-schema");
        }
        boolean interactiveMode = interactive
                || !documentGiven && !printSchema && context.inIsTerminal() && context.outIsTerminal();
        return new Settings(endpoint, Engine.named(engine), protocol(), Endpoint.parseHeaders(headers),
                timeout(executeTimeout), document, documentFile, operationName, List.copyOf(variables), variablesFile,
                reconnecting, printSchema, List.copyOf(schemaDownload), schemaJson, fullResponse, interactiveMode,
                historyFile(), colorWhen(), choice(format, Settings.Format.class, "--format"), debug);
    }

    private Settings.When colorWhen() {
        return choice(color, Settings.When.class, "--color");
    }

    private WebSocketProtocol protocol() {
        String value = webSocketProtocol.toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return null;
        }
        return Arrays.stream(WebSocketProtocol.values())
                .filter(protocol -> protocol.subprotocol().equals(value))
                .findFirst()
                .orElseThrow(() -> new UsageException("--ws-protocol is auto, graphql-transport-ws or graphql-ws, not '"
                        + webSocketProtocol + "'"));
    }

    private Path historyFile() {
        if (history == null) {
            String home = System.getProperty("user.home");
            return home == null ? null : Path.of(home, ".jgql_history");
        }
        return history.equalsIgnoreCase("none") ? null : Path.of(history);
    }

    /** {@code --execute-timeout}: seconds (decimals allowed) or {@code none}, which means a year. */
    static Duration timeout(String value) {
        if (value.equalsIgnoreCase("none")) {
            return Duration.ofDays(365);
        }
        try {
            BigDecimal seconds = new BigDecimal(value.strip());
            long millis = seconds.movePointRight(3).longValueExact();
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new UsageException("--execute-timeout is a number of seconds above 0 (e.g. 10 or 0.5) or none, not '"
                + value + "'");
    }

    private static <E extends Enum<E>> E choice(String value, Class<E> type, String option) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw new UsageException(option + " is one of " + Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + value + "'");
    }

    /**
     * slf4j-simple reads its settings once, when the first logger is made: set them before
     * anything logs. Quiet by default (jgql's problems reach the user as exit codes and messages),
     * {@code -v} shows what jgql does, {@code --debug} every message; a {@code -D} setting wins.
     */
    private static void configureLogging(String[] args) {
        List<String> arguments = Arrays.asList(args);
        String level = arguments.contains("--debug") ? "debug"
                : arguments.contains("-v") || arguments.contains("--verbose") ? "info" : "error";
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    /** {@code --version}: the Maven project version, written into a resource at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jgql " + number() + " (Java " + Runtime.version() + ")"};
        }

        static String number() {
            Properties properties = new Properties();
            try (InputStream in = JgqlCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                // the resource is in the jar; without it the version is simply unknown
            }
            return properties.getProperty("version", "(unknown version)");
        }
    }
}
