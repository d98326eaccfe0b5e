package dev.jgql.bench;

import dev.jgql.engine.Engine;
import dev.jgql.Client;
import dev.jgql.GraphQLRequest;
import dev.jgql.Gql;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.transport.ws.WebSocketTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Client heap per idle subscription: opens {@code n} subscriptions (default 10,000) that will not emit for weeks
 * ({@code countdown(from: 1, intervalMs: 2000000000)}) on one jgql WebSocket session, and compares the used heap
 * after full GCs before and after. The subscribers request one event and keep nothing. Not JMH.
 *
 * <pre>java -Djgql.bench.http=http://127.0.0.1:4700/graphql -cp benchmarks.jar dev.jgql.bench.IdleSubscriptionHeap [--engine jdk|vertx] [n] [rounds]</pre>
 */
public final class IdleSubscriptionHeap {
    private static final String DOCUMENT = "subscription idle { countdown(from: 1, intervalMs: 2000000000) }";

    private IdleSubscriptionHeap() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = BenchEngines.engine(args);
        args = BenchEngines.positional(args);
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (BenchServer server = BenchServer.acquire()) {
            for (int round = 0; round < rounds; round++) {
                Client client = Client.builder().transport(WebSocketTransport.builder(server.webSocketUri()).engine(engine).build()).build();
                ReconnectingSession session = client.connectAsync(Reconnect.defaults()).join();
                GraphQLRequest request = Gql.gql(DOCUMENT);
                long before = usedAfterGc();
                List<Flow.Subscription> subscriptions = new ArrayList<>(n);
                CountDownLatch subscribed = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    session.subscribe(request).subscribe(new Flow.Subscriber<Map<String, Object>>() {
                        @Override
                        public void onSubscribe(Flow.Subscription subscription) {
                            synchronized (subscriptions) {
                                subscriptions.add(subscription);
                            }
                            subscription.request(1);
                            subscribed.countDown();
                        }

                        @Override
                        public void onNext(Map<String, Object> item) {
                        }

                        @Override
                        public void onError(Throwable throwable) {
                            System.err.println("subscription failed: " + throwable);
                        }

                        @Override
                        public void onComplete() {
                        }
                    });
                }
                if (!subscribed.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("not all subscriptions started");
                }
                Thread.sleep(3000); // let every subscribe message leave and the server answer nothing
                long after = usedAfterGc();
                // the subscriptions list itself is ~4 bytes per entry plus the array: subtract nothing, it is noise
                System.out.printf("round %d: %d idle subscriptions on one socket: heap %+.1f MB, %.0f bytes per subscription%n",
                        round, n, (after - before) / 1e6, (after - before) / (double) n);
                synchronized (subscriptions) {
                    subscriptions.forEach(Flow.Subscription::cancel);
                }
                client.close();
            }
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
