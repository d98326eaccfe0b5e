package dev.jgql.bench;

import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.Gql;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.ResubscriptionListener;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.engine.Engine;
import dev.jgql.transport.http.HttpTransport;
import dev.jgql.transport.ws.WebSocketTransport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A soak run of the permanent session: for a set time (default 10 minutes), one WebSocket and one
 * HTTP permanent session, with the default policies (resubscription on), carry a mixed load through
 * a chaos proxy that kills, refuses and blackholes on a fixed 40-second cycle: queries and counted
 * mutations ({@code increment} with a unique {@code requestId}) from caller threads, and (by
 * default) 1,000 {@code countdown} subscriptions ticking once a second on the WebSocket. The backend
 * and the proxy run in a second JVM ({@link SoakBackend}), so the heap, threads and file
 * descriptors reported are the client's alone.
 *
 * <p>Every report interval it prints the client's heap after a GC, its threads (all, and jgql's),
 * its open file descriptors, calls succeeded and failed, subscription events and the session's
 * reconnects. At the end: mutations applied twice (must be 0), mutations reported "not sent" that
 * were applied (must be 0), the longest time a dead WebSocket link went unnoticed (from a kill or a
 * blackhole until the session left CONNECTED), and what remained after the client closed.
 *
 * <p>The chaos cycle, every 40 s: 0 s pass; 8 s kill every connection; 16 s refuse new
 * connections and kill the open ones, 3 s long; 24 s blackhole, 4 s long (a half-open link); 30 s
 * reset connections at random (0.2 % of chunks), 8 s long.
 *
 * <pre>java -cp jgql-bench/core/target/benchmarks.jar dev.jgql.bench.Soak [--engine jdk|vertx] [--duration 10m]
 *     [--report 30s] [--subscriptions 1000] [--callers 4]</pre>
 *
 * Not run in CI. Exits 0 when nothing was applied twice and no "not sent" mutation was applied, 1 otherwise.
 */
public final class Soak {
    private static final GraphQLRequest QUERY = Gql.gql("query C($code: ID!) { continent(code: $code) { name } }");
    private static final GraphQLRequest INCREMENT = Gql.gql("mutation I($id: String) { increment(by: 1, requestId: $id) }");
    private static final GraphQLRequest COUNTDOWN = Gql.gql(
            "subscription S { countdown(from: 2000000000, intervalMs: 1000) }");
    private static final String[] CODES = {"AF", "AN", "AS", "EU", "NA", "OC", "SA"};
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final PrintStream OUT = System.out;

    private final Backend backend;
    private final Duration duration;
    private final Duration report;
    private final int subscriptions;
    private final int callers;
    private final Engine engine;
    private final long started = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private final Counters ws = new Counters();
    private final Counters http = new Counters();
    private final LongAdder events = new LongAdder();
    private final LongAdder resubscribed = new LongAdder();
    private final LongAdder streamsEnded = new LongAdder();
    private final AtomicInteger activeStreams = new AtomicInteger();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicLong nextMutation = new AtomicLong();
    /** Mutations that failed as "not sent": each must have been applied 0 times. */
    private final Queue<String> notSent = new ConcurrentLinkedQueue<>();
    /** When the WebSocket link was made dead while CONNECTED; 0 when none is pending. */
    private final AtomicLong deadSince = new AtomicLong();
    private final AtomicLong longestUnnoticed = new AtomicLong();
    private final AtomicInteger deadLinksTimed = new AtomicInteger();
    private volatile ReconnectingSession wsSession;

    /** Calls of one session. */
    private static final class Counters {
        final LongAdder queriesOk = new LongAdder();
        final LongAdder queriesFailed = new LongAdder();
        final LongAdder mutationsOk = new LongAdder();
        final LongAdder mutationsMaybeApplied = new LongAdder();
        final LongAdder mutationsNotSent = new LongAdder();
        final LongAdder otherFailures = new LongAdder();

        String line() {
            return String.format(Locale.ROOT, "q %d/%d m %d/%d+%d", queriesOk.sum(), queriesFailed.sum(), mutationsOk.sum(),
                    mutationsMaybeApplied.sum(), mutationsNotSent.sum());
        }
    }

    private Soak(Backend backend, Engine engine, Duration duration, Duration report, int subscriptions, int callers) {
        this.backend = backend;
        this.engine = engine;
        this.duration = duration;
        this.report = report;
        this.subscriptions = subscriptions;
        this.callers = callers;
    }

    public static void main(String[] args) throws Exception {
        Engine engine = BenchEngines.engine(args);
        String[] rest = BenchEngines.positional(args);
        Duration duration = Duration.ofMinutes(10);
        Duration report = Duration.ofSeconds(30);
        int subscriptions = 1000;
        int callers = 4;
        for (int i = 0; i < rest.length; i++) {
            String value = i + 1 < rest.length ? rest[i + 1] : null;
            switch (rest[i]) {
                case "--duration" -> duration = parseDuration(value);
                case "--report" -> report = parseDuration(value);
                case "--subscriptions" -> subscriptions = Integer.parseInt(value);
                case "--callers" -> callers = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("Unknown option " + rest[i]
                        + "; options: --engine jdk|vertx --duration 10m --report 30s --subscriptions 1000 --callers 4");
            }
            i++;
        }
        boolean clean;
        try (Backend backend = Backend.start()) {
            clean = new Soak(backend, engine, duration, report, subscriptions, callers).run();
        }
        System.exit(clean ? 0 : 1);
    }

    /** {@code 90s}, {@code 10m}, {@code 1h} or an ISO-8601 duration. */
    static Duration parseDuration(String text) {
        if (text == null) {
            throw new IllegalArgumentException("A duration is missing: 90s, 10m, 1h");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("pt")) {
            return Duration.parse(text);
        }
        long amount = Long.parseLong(lower.substring(0, lower.length() - 1));
        return switch (lower.charAt(lower.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("Not a duration: " + text + " (90s, 10m, 1h)");
        };
    }

    private boolean run() throws Exception {
        URI wsUri = URI.create("ws://127.0.0.1:" + backend.proxyPort + "/graphql");
        URI httpUri = URI.create("http://127.0.0.1:" + backend.proxyPort + "/graphql");
        Client wsClient = Client.builder().transport(WebSocketTransport.builder(wsUri).engine(engine).build()).build();
        Client httpClient = Client.builder().transport(HttpTransport.builder(httpUri).engine(engine).build()).build();
        Reconnect options = Reconnect.builder().resubscribe().build();
        OUT.printf(Locale.ROOT, "Soak: %s, %d subscriptions, %d callers per session, engine %s, JDK %s%n", duration,
                subscriptions, callers, engine, Runtime.version());
        Snapshot before = Snapshot.take();
        OUT.println("before connecting: " + before);
        ReconnectingSession wsSessionNow = wsClient.connectAsync(options).get(30, TimeUnit.SECONDS);
        wsSession = wsSessionNow;
        ReconnectingSession httpSession = httpClient.connectAsync(options).get(30, TimeUnit.SECONDS);
        wsSessionNow.addStateListener((from, to) -> linkChanged(to));

        List<Flow.Subscription> streams = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            wsSessionNow.subscribe(COUNTDOWN).subscribe(new Events(streams));
        }
        ExecutorService threads = Executors.newFixedThreadPool(2 * callers, daemon("soak-caller"));
        for (int i = 0; i < callers; i++) {
            threads.submit(() -> load(wsSessionNow, ws));
            threads.submit(() -> load(httpSession, http));
        }
        ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor(daemon("soak-chaos"));
        chaos.scheduleAtFixedRate(this::chaosTick, 1, 1, TimeUnit.SECONDS);

        OUT.println("   t   heap MiB  threads(jgql)  fds  ws calls (ok/failed: q, m maybe+not sent)   http calls"
                + "   events  streams(resub/ended)  reconnects  longest unnoticed");
        long end = started + duration.toNanos();
        Snapshot first = null;
        Snapshot last = null;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(report.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            last = Snapshot.take();
            if (first == null) {
                first = last;
            }
            OUT.printf(Locale.ROOT, "%5ds %s  ws %-34s http %-34s %9d  %5d(%d/%d)  %4d  %5d ms%n", elapsedSeconds(), last,
                    ws.line(), http.line(), events.sum(), activeStreams.get(), resubscribed.sum(), streamsEnded.sum(),
                    reconnects.get(), TimeUnit.NANOSECONDS.toMillis(longestUnnoticed.get()));
        }
        running.set(false);
        chaos.shutdownNow();
        chaos.awaitTermination(10, TimeUnit.SECONDS);
        backend.command("stopkill");
        backend.command("pass");
        threads.shutdown();
        boolean callersEnded = threads.awaitTermination(CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        synchronized (streams) {
            List.copyOf(streams).forEach(Flow.Subscription::cancel);
        }
        long closing = System.nanoTime();
        wsClient.closeAsync().get(10, TimeUnit.SECONDS);
        httpClient.closeAsync().get(10, TimeUnit.SECONDS);
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        Thread.sleep(1000); // let released sockets and threads go
        Snapshot after = Snapshot.take();
        Thread.sleep(10_000);
        Snapshot later = Snapshot.take();
        return summary(first, last, after, later, callersEnded, closeMillis);
    }

    private boolean summary(Snapshot first, Snapshot last, Snapshot after, Snapshot later, boolean callersEnded,
            long closeMillis)
            throws IOException {
        String[] ledger = backend.command("ledger").split(" ");
        long duplicated = Long.parseLong(ledger[3]);
        int notSentApplied = 0;
        for (String id : notSent) {
            if (!backend.command("applied " + id).equals("APPLIED 0")) {
                notSentApplied++;
            }
        }
        OUT.println();
        OUT.printf(Locale.ROOT, "Ran %d s. Proxy connections: %s. Backend counter %s, distinct mutations applied %s.%n",
                elapsedSeconds(), ledger[4], ledger[1], ledger[2]);
        OUT.printf(Locale.ROOT, "WebSocket: queries %d ok / %d failed; mutations %d ok, %d failed as maybe applied, %d as not "
                + "sent; %d other failures%n", ws.queriesOk.sum(), ws.queriesFailed.sum(), ws.mutationsOk.sum(),
                ws.mutationsMaybeApplied.sum(), ws.mutationsNotSent.sum(), ws.otherFailures.sum());
        OUT.printf(Locale.ROOT, "HTTP:      queries %d ok / %d failed; mutations %d ok, %d failed as maybe applied, %d as not "
                + "sent; %d other failures%n", http.queriesOk.sum(), http.queriesFailed.sum(), http.mutationsOk.sum(),
                http.mutationsMaybeApplied.sum(), http.mutationsNotSent.sum(), http.otherFailures.sum());
        OUT.printf(Locale.ROOT, "Subscriptions: %d events, %d resubscribed after reconnects, %d streams ended and restarted%n",
                events.sum(), resubscribed.sum(), streamsEnded.sum());
        OUT.printf(Locale.ROOT, "WebSocket reconnects: %d. Dead links timed: %d; the longest went unnoticed for %d ms%n",
                reconnects.get(), deadLinksTimed.get(), TimeUnit.NANOSECONDS.toMillis(longestUnnoticed.get()));
        OUT.printf(Locale.ROOT, "Mutations applied twice: %d. Mutations reported not sent but applied: %d (of %d)%n",
                duplicated, notSentApplied, notSent.size());
        OUT.println("First report: " + first);
        OUT.println("Last report:  " + last);
        OUT.println("After close (" + closeMillis + " ms): " + after + (callersEnded ? "" : "; CALLERS STILL RUNNING"));
        OUT.println("10 s later:   " + later);
        return duplicated == 0 && notSentApplied == 0;
    }

    // ------------------------------------------------------------------ load

    private void load(ReconnectingSession session, Counters counters) {
        long call = 0;
        while (running.get()) {
            call++;
            if (call % 3 == 0) {
                mutate(session, counters);
            } else {
                query(session, counters, CODES[(int) (call % CODES.length)]);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void query(ReconnectingSession session, Counters counters, String code) {
        try {
            session.execute(QUERY, Map.of("code", code)).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            counters.queriesOk.increment();
        } catch (ExecutionException | TimeoutException e) {
            counters.queriesFailed.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void mutate(ReconnectingSession session, Counters counters) {
        String id = "soak-" + nextMutation.incrementAndGet();
        try {
            session.execute(INCREMENT, Map.of("id", id)).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            counters.mutationsOk.increment();
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (failure instanceof TransportConnectionFailedException failed && !failed.requestMayHaveBeenSent()) {
                counters.mutationsNotSent.increment();
                notSent.add(id);
            } else if (failure instanceof JgqlException) {
                counters.mutationsMaybeApplied.increment();
            } else {
                counters.otherFailures.increment();
                OUT.println("Not a jgql exception: " + failure);
            }
        } catch (TimeoutException e) {
            counters.mutationsMaybeApplied.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One subscription; restarted if it ends while the run goes on (resubscription covers reconnects). */
    private final class Events implements Flow.Subscriber<Map<String, Object>>, ResubscriptionListener {
        private final List<Flow.Subscription> all;
        private Flow.Subscription subscription;

        Events(List<Flow.Subscription> all) {
            this.all = all;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            synchronized (all) {
                all.add(subscription);
            }
            activeStreams.incrementAndGet();
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Map<String, Object> item) {
            events.increment();
        }

        @Override
        public void onResubscribed(GraphQLRequest request) {
            resubscribed.increment();
        }

        @Override
        public void onError(Throwable throwable) {
            ended();
        }

        @Override
        public void onComplete() {
            ended();
        }

        private void ended() {
            synchronized (all) {
                all.remove(subscription);
            }
            activeStreams.decrementAndGet();
            if (running.get()) {
                streamsEnded.increment();
                wsSession.subscribe(COUNTDOWN).subscribe(new Events(all));
            }
        }
    }

    // ------------------------------------------------------------------ chaos

    private void chaosTick() {
        try {
            long second = elapsedSeconds() % 40;
            switch ((int) second) {
                case 8 -> deadLink("kill");
                case 16 -> {
                    backend.command("refuse");
                    deadLink("kill");
                }
                case 19 -> backend.command("pass");
                case 24 -> deadLink("blackhole");
                case 28 -> backend.command("pass");
                case 30 -> backend.command("random 0.002 " + second);
                case 38 -> backend.command("stopkill");
                default -> {
                    // pass
                }
            }
        } catch (IOException | RuntimeException e) {
            OUT.println("Chaos step failed: " + e);
        }
    }

    /** Makes the link dead, timing how long the session takes to notice if it was CONNECTED. */
    private void deadLink(String command) throws IOException {
        ReconnectingSession session = wsSession;
        long since = System.nanoTime();
        long unnoticed = deadSince.getAndSet(session.state() == ConnectionState.CONNECTED ? since : 0);
        if (unnoticed != 0) {
            // The previous dead link was never noticed before this one: count all that time.
            record(since - unnoticed);
            OUT.println("A dead link was still unnoticed at the next chaos step");
        }
        backend.command(command);
    }

    private void linkChanged(ConnectionState to) {
        if (to == ConnectionState.RECONNECTING) {
            reconnects.incrementAndGet();
        }
        if (to != ConnectionState.CONNECTED) {
            long since = deadSince.getAndSet(0);
            if (since != 0) {
                record(System.nanoTime() - since);
            }
        }
    }

    private void record(long nanos) {
        deadLinksTimed.incrementAndGet();
        longestUnnoticed.accumulateAndGet(nanos, Math::max);
    }

    private long elapsedSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ------------------------------------------------------------------ measurements

    /** The client JVM's heap after a full GC, its threads and its open file descriptors. */
    private record Snapshot(long heapMiB, int threads, long jgqlThreads, long fileDescriptors) {
        static Snapshot take() {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            long jgql = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jgql")).count();
            long fds = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                    ? unix.getOpenFileDescriptorCount() : -1;
            return new Snapshot(heap, threads, jgql, fds);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%5d  %5d(%3d)  %5d", heapMiB, threads, jgqlThreads, fileDescriptors);
        }
    }

    // ------------------------------------------------------------------ the backend process

    /** The {@link SoakBackend} JVM and its command channel. */
    private static final class Backend implements AutoCloseable {
        private final Process process;
        private final PrintWriter commands;
        private final BufferedReader answers;
        final int proxyPort;

        private Backend(Process process) throws IOException {
            this.process = process;
            this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = answers.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                process.destroyForcibly();
                throw new IOException("The soak backend did not start: " + ready);
            }
            this.proxyPort = Integer.parseInt(ready.substring("READY ".length()));
        }

        static Backend start() throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            File log = File.createTempFile("jgql-soak-backend", ".log");
            OUT.println("Backend log: " + log);
            Process process = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    SoakBackend.class.getName()).redirectError(log).start();
            return new Backend(process);
        }

        synchronized String command(String line) throws IOException {
            commands.println(line);
            String answer = answers.readLine();
            if (answer == null) {
                throw new IOException("The soak backend ended");
            }
            return answer;
        }

        @Override
        public void close() throws Exception {
            commands.println("quit");
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
