package dev.jgql.countries;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Runs a {@link CountriesServer} as a standalone process until it is killed.
 *
 * <pre>{@code
 * java -jar jgql-countries/target/jgql-countries-0.1.0-SNAPSHOT.jar --port 4000
 * # jgql countries backend listening on http://127.0.0.1:4000/graphql (ws://127.0.0.1:4000/graphql)
 * curl -s -H 'Content-Type: application/json' -d '{"query":"{ country(code: \"FR\") { name capital } }"}' \
 *     http://127.0.0.1:4000/graphql
 * }</pre>
 */
public final class CountriesMain {

  private static final int DEFAULT_PORT = 4000;
  private static final String USAGE = "usage: " + command() + " [--port N]   (default " + DEFAULT_PORT
      + ", 0 picks a free port)";

  private CountriesMain() {}

  /**
   * Starts the server and returns; the Vert.x threads keep the JVM alive, and a shutdown hook closes the
   * server when the process is terminated.
   *
   * @param args {@code --port N} (default 4000), or {@code --help}
   */
  public static void main(String[] args) {
    int port = DEFAULT_PORT;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = parsePort(args[++i]);
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println(USAGE);
        return;
      } else {
        exitWithUsage("unexpected argument: " + args[i]);
      }
    }
    CountriesServer server = CountriesServer.start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jgql-countries-shutdown"));
    System.out.println(
        "jgql countries backend listening on " + server.httpUri() + " (" + server.webSocketUri() + ")");
  }

  /** How this program was started: {@code java -jar <the jar that runs>}, or the class when not from a jar. */
  static String command() {
    try {
      Path location = Path.of(CountriesMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (location.getFileName().toString().endsWith(".jar")) {
        Path cwd = Path.of("").toAbsolutePath();
        return "java -jar " + (location.startsWith(cwd) ? cwd.relativize(location) : location);
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no usable code source: name the class
    }
    return "java " + CountriesMain.class.getName();
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below like an out-of-range port
    }
    exitWithUsage("not a port: " + value);
    throw new AssertionError("unreachable");
  }

  private static void exitWithUsage(String problem) {
    System.err.println(problem);
    System.err.println(USAGE);
    System.exit(2);
  }
}
