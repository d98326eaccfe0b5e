package dev.jgql.bench;

import dev.jgql.engine.Engine;
import dev.failsafe.RetryPolicy;
import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.countries.CountriesServer;
import dev.jgql.transport.Transport;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Time from the backend coming back to the first successful execute, for the HTTP and the WebSocket transport.
 * Each cycle: stop the (in-process) countries server, make the session see the failure and wait for
 * {@code RECONNECTING}, wait out the outage, start the server on the same port, then time one {@code execute}
 * issued at once (it waits for the link). The server runs in this JVM because it has to be stopped and restarted
 * quickly; only the client's recovery is timed. Not JMH.
 *
 * <p>Without {@code --outage}: the connect policy {@code Reconnect.backoff(50 ms, 200 ms)} and a 300 ms outage
 * (the loop at its longest backoff). With {@code --outage SECONDS}: {@link Reconnect#defaults()} and an outage that
 * long with nobody waiting, so that the backoff has grown (to 16-32 s after a minute): what a service that
 * restarts its backend sees; the first request after the backend returns brings the next attempt forward.
 *
 * <pre>java -cp benchmarks.jar dev.jgql.bench.ReconnectTime [--engine jdk|vertx] [--outage SECONDS] [cycles]</pre>
 */
public final class ReconnectTime {
    private ReconnectTime() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = BenchEngines.engine(args);
        args = BenchEngines.positional(args);
        Duration outage = null;
        if (args.length > 1 && args[0].equals("--outage")) {
            outage = Duration.ofSeconds(Long.parseLong(args[1]));
            args = java.util.Arrays.copyOfRange(args, 2, args.length);
        }
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        run("http", cycles, engine, outage);
        run("ws", cycles, engine, outage);
        System.exit(0);
    }

    private static void run(String kind, int cycles, Engine engine, Duration outage) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CountriesServer server = CountriesServer.start(port);
        Transport transport = kind.equals("http") ? HttpTransport.builder(server.httpUri()).engine(engine).build()
                : WebSocketTransport.builder(server.webSocketUri()).engine(engine).build();
        RetryPolicy<Object> connect = Reconnect.backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .handle(Exception.class).withMaxRetries(-1).build();
        Client client = Client.builder().transport(transport).build();
        Reconnect options = outage == null ? Reconnect.builder().retryConnect(connect).build() : Reconnect.defaults();
        ReconnectingSession session = client.connectAsync(options).join();
        GraphQLRequest query = Gql.gql(Queries.SMALL).withVariables(Queries.SMALL_VARIABLES);
        session.execute(query).join();
        List<Double> millis = new ArrayList<>();
        int warmUp = outage == null ? 2 : 0;
        for (int cycle = 0; cycle < cycles + warmUp; cycle++) {
            server.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (session.state() != ConnectionState.RECONNECTING) {
                if (kind.equals("http")) {
                    session.execute(query).exceptionally(e -> null); // the failure makes the session reconnect
                }
                Thread.sleep(5);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(kind + ": the session never noticed the server went away");
                }
            }
            Thread.sleep(outage == null ? 300 : outage.toMillis()); // the loop at its longest backoff, or the outage
            server = CountriesServer.start(port);
            long t0 = System.nanoTime();
            session.execute(query).join();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (cycle >= warmUp) {
                millis.add(ms);
            }
        }
        client.close();
        server.close();
        Collections.sort(millis);
        System.out.printf("%-4s back-up-to-first-success over %d cycles%s: median %.1f ms, min %.1f, p90 %.1f, max %.1f%n",
                kind, millis.size(), outage == null ? "" : " after " + outage.toSeconds() + " s outages, default policy", millis.get(millis.size() / 2), millis.get(0),
                millis.get((int) Math.ceil(millis.size() * 0.9) - 1), millis.get(millis.size() - 1));
    }
}
