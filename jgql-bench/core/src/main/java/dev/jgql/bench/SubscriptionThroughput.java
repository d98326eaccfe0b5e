package dev.jgql.bench;

import dev.jgql.engine.Engine;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.transport.ws.WebSocketTransport;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscription events per second on one WebSocket: {@code subs} concurrent {@code countdown(from, intervalMs: 1)}
 * subscriptions on one socket, jgql's session versus a raw JDK {@code java.net.http.WebSocket} speaking
 * graphql-transport-ws and parsing every message with Jackson into a Map. Reports wall-clock events/s and the
 * client process's CPU time per event (the server is a separate process and paces each stream at 1 event/ms,
 * so CPU per event is the comparable figure). Not JMH: a stream has a start and an end.
 *
 * <pre>java -Djgql.bench.http=http://127.0.0.1:4700/graphql -cp benchmarks.jar dev.jgql.bench.SubscriptionThroughput [--engine jdk|vertx] [subs] [from] [rounds]</pre>
 */
public final class SubscriptionThroughput {
    private static final String DOCUMENT = "subscription count($from: Int!) { countdown(from: $from, intervalMs: 1) }";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private SubscriptionThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = BenchEngines.engine(args);
        args = BenchEngines.positional(args);
        int subs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int from = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (BenchServer server = BenchServer.acquire()) {
            URI ws = server.webSocketUri();
            Client client = Client.builder().transport(WebSocketTransport.builder(ws).engine(engine).build()).build();
            ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
            List<double[]> jgql = new ArrayList<>();
            List<double[]> raw = new ArrayList<>();
            runJgql(session, subs, 50); // warm-up
            runRaw(ws, subs, 50);
            for (int round = 0; round < rounds; round++) {
                jgql.add(runJgql(session, subs, from));
                raw.add(runRaw(ws, subs, from));
            }
            client.close();
            report("jgql", jgql, subs, from);
            report("raw JDK WebSocket", raw, subs, from);
        }
    }

    static void report(String who, List<double[]> runs, int subs, int from) {
        List<Double> rates = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (double[] run : runs) {
            rates.add(run[0]);
            cpu.add(run[1]);
        }
        Collections.sort(rates);
        Collections.sort(cpu);
        System.out.printf("%-18s subs=%d from=%d events/s median %.0f (min %.0f, max %.0f); client CPU µs/event median %.2f (min %.2f, max %.2f)%n",
                who, subs, from, rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1),
                cpu.get(cpu.size() / 2), cpu.get(0), cpu.get(cpu.size() - 1));
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double[] runJgql(ReconnectingSession session, int subs, int from) throws InterruptedException {
        GraphQLRequest request = Gql.gql(DOCUMENT);
        CountDownLatch done = new CountDownLatch(subs);
        AtomicLong events = new AtomicLong();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < subs; i++) {
            session.subscribe(request, Map.of("from", from)).subscribe(new Flow.Subscriber<Map<String, Object>>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Map<String, Object> item) {
                    if (item.get("countdown") == null) {
                        throw new IllegalStateException("bad event " + item);
                    }
                    events.incrementAndGet();
                }

                @Override
                public void onError(Throwable throwable) {
                    throwable.printStackTrace();
                    done.countDown();
                }

                @Override
                public void onComplete() {
                    done.countDown();
                }
            });
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("jgql subscriptions did not complete");
        }
        return result(events.get(), (long) subs * (from + 1), t0, cpu0);
    }

    private static double[] result(long events, long expected, long t0, long cpu0) {
        long elapsed = System.nanoTime() - t0;
        long cpu = cpuNanos() - cpu0;
        if (events != expected) {
            throw new IllegalStateException("expected " + expected + " events, got " + events);
        }
        return new double[] {events * 1e9 / elapsed, cpu / 1e3 / events};
    }

    private static double[] runRaw(URI uri, int subs, int from) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        CountDownLatch done = new CountDownLatch(subs);
        CompletableFuture<Void> ack = new CompletableFuture<>();
        AtomicLong events = new AtomicLong();
        HttpClient http = HttpClient.newHttpClient();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        Map<String, Object> message = mapper.readValue(partial.toString(), MAP);
                        partial.setLength(0);
                        switch ((String) message.get("type")) {
                            case "connection_ack" -> ack.complete(null);
                            case "next" -> {
                                @SuppressWarnings("unchecked")
                                Map<String, Object> payload = (Map<String, Object>) message.get("payload");
                                if (payload.get("data") == null) {
                                    throw new IllegalStateException("bad event " + message);
                                }
                                events.incrementAndGet();
                            }
                            case "complete" -> done.countDown();
                            case "ping" -> webSocket.sendText("{\"type\":\"pong\"}", true);
                            default -> { }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                }
                webSocket.request(1);
                return null;
            }
        };
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        WebSocket socket = http.newWebSocketBuilder().subprotocols("graphql-transport-ws").buildAsync(uri, listener).join();
        socket.sendText("{\"type\":\"connection_init\"}", true).join();
        ack.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < subs; i++) {
            Map<String, Object> subscribe = Map.of("id", Integer.toString(i + 1), "type", "subscribe",
                    "payload", Map.of("query", DOCUMENT, "variables", Map.of("from", from)));
            socket.sendText(mapper.writeValueAsString(subscribe), true).join();
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("raw subscriptions did not complete");
        }
        double[] result = result(events.get(), (long) subs * (from + 1), t0, cpu0);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        return result;
    }
}
