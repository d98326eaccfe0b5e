package dev.jgql.countries;

/**
 * Runs a {@link CountriesServer} as a standalone process until it is killed.
 *
 * <pre>{@code
 * java -jar jgql-countries-0.1.0-SNAPSHOT.jar --port 4000
 * # jgql countries backend listening on http://127.0.0.1:4000/graphql (ws://127.0.0.1:4000/graphql)
 * curl -s -H 'Content-Type: application/json' -d '{"query":"{ country(code: \"FR\") { name capital } }"}' \
 *     http://127.0.0.1:4000/graphql
 * }</pre>
 */
public final class CountriesMain {

  private static final int DEFAULT_PORT = 4000;
  private static final String USAGE = "usage: java -jar jgql-countries.jar [--port N]   (default " + DEFAULT_PORT
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
