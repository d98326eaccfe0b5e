package dev.jgql.examples;

import dev.jgql.Reconnect;
import dev.jgql.countries.CountriesServer;
import dev.jgql.engine.Engine;
import dev.jgql.engine.JdkEngine;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import dev.jgql.vertx.VertxEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The examples' command line:
 *
 * <pre>
 * java -jar jgql-examples/target/jgql-examples-VERSION.jar web [--host H] [--port N] [--backend URL] [--engine jdk|vertx]
 * java -jar jgql-examples/target/jgql-examples-VERSION.jar console [--backend URL] [--engine jdk|vertx]
 * </pre>
 *
 * Without {@code --backend} the embedded countries backend is started in-process on a free port.
 */
public final class Main {
    /** The usage text; {@code %1$s} is how this program was started, see {@link #command}. */
    static final String USAGE = """
            Usage: %1$s <command> [options]

            The two example programs of gql's "Async permanent session" chapter, on jgql.

            Commands:
              web        The web service (gql's FastAPI example): GET / and GET /continent/{code},
                         served through one permanent session that reconnects by itself.
              console    The console client (gql's console example): type a continent code, get its name.

            Options:
              --backend URL  The GraphQL backend: http:// or https:// over HTTP, ws:// or wss:// over
                             WebSocket (graphql-transport-ws). Default: start the embedded countries
                             backend in-process on a free port.
              --engine E     What carries the bytes: jdk (java.net.http, the default) or vertx (Vert.x 5).
              --port N       web: the HTTP port (default 8000; 0 picks a free port).
              --host H       web: the address to listen on (default 127.0.0.1).
              --help         Show this help.

            Both start while the backend is down and reconnect by themselves. The console prompts at
            once and reports on standard error what the connection is doing: over WebSocket, connecting,
            why an attempt failed and when the next one is; over HTTP, which sends nothing until a
            request, the failure a request met and when the backend is checked next. 'exit' or the end
            of input quits at the prompt. A code asked for while the backend is unreachable waits about
            10 s for it, then the console says why it failed. The web service answers 503 when the
            backend cannot answer within 5 s; why is logged at debug level:
              java -Dorg.slf4j.simpleLogger.log.dev.jgql.examples=debug %2$s web
            """;

    /** The longest each attempt for a continent name may take, waiting for the backend included: gql's default. */
    static final Duration EXECUTE_TIMEOUT = Duration.ofSeconds(10);

    private Main() {
    }

    /**
     * How this program was started, for the usage text: {@code java -jar PATH} when it runs from a jar (the path
     * relative to the working directory when the jar lies below it), else {@code java dev.jgql.examples.Main}.
     *
     * @param codeSource where this class was loaded from
     * @param workingDirectory the directory the program runs in
     */
    static String command(URL codeSource, Path workingDirectory) {
        Path location;
        try {
            location = Path.of(codeSource.toURI());
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return "java " + Main.class.getName();
        }
        if (!location.getFileName().toString().endsWith(".jar")) {
            return "java " + Main.class.getName();
        }
        Path cwd = workingDirectory.toAbsolutePath().normalize();
        Path jar = location.toAbsolutePath().normalize();
        return "java -jar " + (jar.startsWith(cwd) ? cwd.relativize(jar) : jar);
    }

    private static String usage() {
        String command = command(Main.class.getProtectionDomain().getCodeSource().getLocation(), Path.of(""));
        String jvmTail = command.startsWith("java ") ? command.substring("java ".length()) : command;
        return String.format(Locale.ROOT, USAGE, command, jvmTail);
    }

    public static void main(String[] args) {
        int status = run(args, System.in, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
        // web: Jetty's threads keep the JVM alive until Ctrl-C or SIGTERM runs the shutdown hook.
    }

    /** The parsed command line; {@code engine} is {@code jdk} or {@code vertx}. */
    record Options(String command, String host, int port, URI backend, String engine) {
        Options(String command, String host, int port, URI backend) {
            this(command, host, port, backend, "jdk");
        }
    }

    /** Thrown for a command line that cannot be run; its message is for the user. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String[] args) throws UsageException {
        String command = null;
        String host = "127.0.0.1";
        int port = 8000;
        URI backend = null;
        String engine = "jdk";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return new Options("help", host, port, backend, engine);
                }
                case "--port" -> {
                    String value = value(args, ++i, arg);
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--port needs a number, not '" + value + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new UsageException("--port must be in 0..65535, not " + port);
                    }
                }
                case "--host" -> host = value(args, ++i, arg);
                case "--backend" -> backend = backendUri(value(args, ++i, arg));
                case "--engine" -> {
                    engine = value(args, ++i, arg).toLowerCase(Locale.ROOT);
                    if (!engine.equals("jdk") && !engine.equals("vertx")) {
                        throw new UsageException("--engine is jdk or vertx, not '" + args[i] + "'");
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("Unknown option " + arg);
                    }
                    if (command != null) {
                        throw new UsageException("One command only, not '" + command + "' and '" + arg + "'");
                    }
                    if (!arg.equals("web") && !arg.equals("console")) {
                        throw new UsageException("Unknown command '" + arg + "': use web or console");
                    }
                    command = arg;
                }
            }
        }
        if (command == null) {
            throw new UsageException("Missing command: web or console");
        }
        return new Options(command, host, port, backend, engine);
    }

    private static String value(String[] args, int index, String option) throws UsageException {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[index];
    }

    private static URI backendUri(String value) throws UsageException {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new UsageException("--backend is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.matches("https?|wss?") || uri.getHost() == null) {
            throw new UsageException("--backend needs an http://, https://, ws:// or wss:// URL, not '" + value + "'");
        }
        return uri;
    }

    /** HTTP for http(s) URLs, WebSocket for ws(s) URLs, on the JDK engine. */
    static Transport transportFor(URI backend) {
        return transportFor(backend, "jdk");
    }

    /** HTTP for http(s) URLs, WebSocket for ws(s) URLs, on the engine named {@code jdk} or {@code vertx}. */
    static Transport transportFor(URI backend, String engineName) {
        Engine engine = engineName.equals("vertx") ? VertxEngine.create() : JdkEngine.create();
        String scheme = backend.getScheme().toLowerCase(Locale.ROOT);
        return scheme.startsWith("ws") ? WebSocketTransport.builder(backend).engine(engine).build()
                : HttpTransport.builder(backend).engine(engine).build();
    }

    /**
     * Runs a command. {@code web} returns once the service listens (a shutdown hook stops it);
     * {@code console} returns when its loop ends.
     *
     * @return the process exit status
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println();
            err.print(usage());
            return 2;
        }
        if (options.command().equals("help")) {
            out.print(usage());
            return 0;
        }
        CountriesServer embedded = null;
        URI backend = options.backend();
        try {
            if (backend == null) {
                embedded = CountriesServer.start(0);
                backend = embedded.httpUri();
                err.println("Started the embedded countries backend at " + backend);
            }
            Transport transport = transportFor(backend, options.engine());
            if (options.command().equals("web")) {
                runWeb(options, transport, embedded, out);
                return 0;
            }
            return runConsole(backend, transport, embedded, in, out, err);
        } catch (RuntimeException e) {
            err.println("Failed: " + e.getMessage());
            if (embedded != null) {
                embedded.close();
            }
            return 1;
        }
    }

    private static void runWeb(Options options, Transport transport, CountriesServer embedded, PrintStream out) {
        ContinentWebService service = ContinentWebService.builder(transport)
                .host(options.host())
                .port(options.port())
                .out(out)
                .start();
        // FastAPI's shutdown event: Ctrl-C and SIGTERM run the hooks; close() is idempotent.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            if (embedded != null) {
                embedded.close();
            }
        }, "examples-shutdown"));
    }

    private static int runConsole(URI backend, Transport transport, CountriesServer embedded, InputStream in,
            PrintStream out, PrintStream err) {
        ConnectionProgress progress = new ConnectionProgress(err, withoutCredentials(backend),
                transport instanceof HttpTransport);
        // Not waiting for the first connection: the prompt comes at once, so 'exit' works while the backend is down
        // (over HTTP connectAsync completes at once anyway).
        GraphQLContinentClient continentClient = new GraphQLContinentClient(transport, EXECUTE_TIMEOUT,
                Reconnect.builder().awaitFirstConnection(false).build(), progress);
        // Ctrl-C: release the session before the JVM exits.
        Thread hook = new Thread(continentClient::close, "examples-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            progress.starting();
            continentClient.connect();
            ContinentConsole.run(continentClient, new BufferedReader(new InputStreamReader(in, Charset.defaultCharset())),
                    out);
            return 0;
        } catch (IOException e) {
            err.println("Failed to read the input: " + e.getMessage());
            return 1;
        } finally {
            continentClient.close();
            if (embedded != null) {
                embedded.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
    }

    /** The URL as the user may read it: user info (credentials), query and fragment left out. */
    static String withoutCredentials(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path;
    }
}
