package dev.jgql.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.AsyncSession;
import dev.jgql.ConnectionState;
import dev.jgql.ExecutionResult;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.OperationType;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One document (or {@code --print-schema}) against the server: read it, parse it locally, connect,
 * run it, print the answer, close, and return the exit code.
 */
final class OneShot {
    private final Settings settings;
    private final CliContext context;
    private final PrintWriter out;
    private final Reporter reporter;
    private final JsonPrinter json;
    private final ObjectMapper mapper = new ObjectMapper();

    OneShot(Settings settings, CliContext context, PrintWriter out, Reporter reporter) {
        this.settings = settings;
        this.context = context;
        this.out = out;
        this.reporter = reporter;
        this.json = new JsonPrinter(mapper, settings.format().pretty(context.outIsTerminal()),
                settings.color().decide(context.outIsTerminal(), context));
    }

    int run() {
        String document = null;
        try {
            GraphQLRequest request;
            if (settings.printSchema()) {
                request = Introspection.request(settings.schemaDownload());
            } else {
                document = readDocument();
                request = settings.operationName() == null ? Gql.gql(document) : Gql.gql(document, settings.operationName());
                request = request.withVariables(Variables.resolve(document, settings.operationName(),
                        settings.variablesFile(), settings.variables(), mapper, reporter::warning));
            }
            if (request.operationType() == OperationType.SUBSCRIPTION && settings.endpoint().kind() == Endpoint.Kind.HTTP) {
                throw new UsageException("A subscription needs a WebSocket: use a ws:// or wss:// URL, or --transport ws");
            }
            return run(request);
        } catch (RuntimeException e) {
            return reporter.failure(e, document);
        }
    }

    @SuppressWarnings("try") // the spinner is a resource for its closing, not for its use
    private int run(GraphQLRequest request) {
        CompletableFuture<Void> stop = context.interrupter().current();
        ScheduledExecutorService spinnerThread = Spinner.threadFor(context.errIsTerminal(), context);
        Runnable unwatchSignals = context.signals().watch(context.interrupter()::interrupt);
        try (Sessions sessions = new Sessions(settings.endpoint(), settings, context, reporter)) {
            AsyncSession session;
            ExecutionResult result = null;
            try (Spinner spinner = Spinner.start(context.errIsTerminal(), reporter.stream(),
                    spinnerThread != null ? spinnerThread : context.scheduler(), context.clock(),
                    "waiting for " + settings.endpoint().display())) {
                session = settings.reconnecting()
                        ? sessions.connectPermanent(true, this::stateChanged, stop)
                        : sessions.connect(stop);
                if (request.operationType() != OperationType.SUBSCRIPTION) {
                    result = Operations.await(session.executeForResult(request), sessions.answerLimit(), stop);
                }
            }
            if (result == null) {
                return Operations.follow(session, request, json.compact(), out, reporter, stop);
            }
            if (settings.printSchema()) {
                return printSchema(result);
            }
            return Operations.print(result, settings.fullResponse(), json, out, reporter);
        } finally {
            unwatchSignals.run();
            if (spinnerThread != null) {
                spinnerThread.shutdownNow();
            }
        }
    }

    private int printSchema(ExecutionResult result) {
        if (result.hasErrors()) {
            reporter.graphqlErrors(result.errors());
            return ExitCodes.GRAPHQL_ERRORS;
        }
        out.println(settings.schemaJson() ? json.format(result.data()) : Introspection.sdl(result.data()));
        out.flush();
        return ExitCodes.OK;
    }

    private void stateChanged(ConnectionState from, ConnectionState to) {
        if (to == ConnectionState.RECONNECTING) {
            reporter.notice("the link to " + settings.endpoint().display() + " broke; reconnecting");
        } else if (to == ConnectionState.CONNECTED && from == ConnectionState.RECONNECTING) {
            reporter.notice("reconnected to " + settings.endpoint().display());
        }
    }

    private String readDocument() {
        String text;
        if (settings.document() != null) {
            text = settings.document();
        } else if (settings.documentFile() != null) {
            try {
                text = Files.readString(settings.documentFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("Cannot read " + settings.documentFile() + ": " + Failures.describeIo(e), e);
            }
        } else {
            try {
                text = new String(context.in().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UsageException("Cannot read the document from standard input: " + Failures.describeIo(e), e);
            }
        }
        if (text.isBlank()) {
            throw new UsageException("No GraphQL document: give one on standard input, with -f FILE or with -q DOCUMENT");
        }
        return text;
    }
}
