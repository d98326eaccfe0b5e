package dev.jgql.bench;

import dev.jgql.Client;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.engine.Engine;
import dev.jgql.transport.sse.SseTransport;
import dev.jgql.transport.ws.WebSocketTransport;
import java.util.ArrayList;
import java.util.List;

/**
 * Subscription events per second over server-sent events versus WebSocket, on the same countries server:
 * {@code subs} concurrent {@code countdown(from, intervalMs: 1)} subscriptions through jgql's permanent session,
 * once over one WebSocket (graphql-transport-ws, every stream multiplexed on one socket) and once over SSE
 * (graphql-sse distinct connections: one HTTP response per stream), rounds interleaved. The server paces
 * each stream at 1 event/ms, so wall-clock events/s mostly shows the pacing; the client's CPU time per event
 * is the comparable figure. Not JMH: a stream has a start and an end.
 *
 * <pre>java -Djgql.bench.http=http://127.0.0.1:4700/graphql -cp benchmarks.jar dev.jgql.bench.SseVsWebSocket [--engine jdk|vertx] [subs] [from] [rounds]</pre>
 */
public final class SseVsWebSocket {

    private SseVsWebSocket() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = BenchEngines.engine(args);
        args = BenchEngines.positional(args);
        int subs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int from = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (BenchServer server = BenchServer.acquire();
                Client ws = Client.builder().transport(WebSocketTransport.builder(server.webSocketUri()).engine(engine).build())
                        .build();
                Client sse = Client.builder().transport(SseTransport.builder(server.httpUri()).engine(engine).build())
                        .build()) {
            ReconnectingSession overWs = ws.connectAsync(Reconnect.defaults()).join();
            ReconnectingSession overSse = sse.connectAsync(Reconnect.defaults()).join();
            SubscriptionThroughput.runJgql(overWs, subs, 50); // warm-up
            SubscriptionThroughput.runJgql(overSse, subs, 50);
            List<double[]> wsRuns = new ArrayList<>();
            List<double[]> sseRuns = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                wsRuns.add(SubscriptionThroughput.runJgql(overWs, subs, from));
                sseRuns.add(SubscriptionThroughput.runJgql(overSse, subs, from));
            }
            SubscriptionThroughput.report("jgql WebSocket", wsRuns, subs, from);
            SubscriptionThroughput.report("jgql SSE", sseRuns, subs, from);
        }
    }
}
