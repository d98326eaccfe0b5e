package dev.jgql.session;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLRequest;
import dev.jgql.TransportClosedException;
import dev.jgql.transport.Transport;
import dev.jgql.transport.TransportConnection;
import dev.jgql.transport.TransportContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * An implementation of the transport SPI whose every outcome the test decides, synchronously:
 * with a fake scheduler this makes the session's timing rules deterministic. The real transports
 * are exercised against real servers elsewhere.
 *
 * <p>A link-less one (like HTTP) answers a reconnect with a reachability check that the test
 * decides ({@link #probes}), handing the same link back when it succeeds.
 */
final class ScriptedTransport implements Transport {
    final List<CompletableFuture<TransportConnection>> connects = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<TransportConnection>> probes = new CopyOnWriteArrayList<>();
    final boolean linkless;

    ScriptedTransport(boolean linkless) {
        this.linkless = linkless;
    }

    @Override
    public CompletableFuture<TransportConnection> connect(TransportContext context) {
        CompletableFuture<TransportConnection> attempt = new CompletableFuture<>();
        connects.add(attempt);
        return attempt;
    }

    @Override
    public CompletableFuture<TransportConnection> reconnect(TransportConnection broken, TransportContext context) {
        if (!linkless || !broken.isOpen()) {
            return Transport.super.reconnect(broken, context);
        }
        CompletableFuture<TransportConnection> probe = new CompletableFuture<>();
        probes.add(probe);
        return probe;
    }

    /** The server answers the last reachability check: the same link is handed back. */
    void reachable(Link link) {
        probes.get(probes.size() - 1).complete(link);
    }

    CompletableFuture<TransportConnection> lastProbe() {
        return probes.get(probes.size() - 1);
    }

    CompletableFuture<TransportConnection> lastConnect() {
        return connects.get(connects.size() - 1);
    }

    /** Completes the last connect attempt with a new link and returns it. */
    Link acceptLast() {
        Link link = new Link();
        lastConnect().complete(link);
        return link;
    }

    static ExecutionResult data(Map<String, Object> data) {
        return ExecutionResult.builder().data(data).build();
    }

    /** One scripted link: every execute waits until the test answers it. */
    static final class Link implements TransportConnection {
        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        final List<SubmissionPublisher<ExecutionResult>> streams = new CopyOnWriteArrayList<>();
        final List<GraphQLRequest> subscribed = new CopyOnWriteArrayList<>();
        final CompletableFuture<TransportClosedException> closed = new CompletableFuture<>();
        final List<GraphQLCall> timedOut = new CopyOnWriteArrayList<>();

        record Exchange(GraphQLCall call, CompletableFuture<ExecutionResult> answer) {
            GraphQLRequest request() {
                return call.request();
            }
        }

        @Override
        public CompletableFuture<ExecutionResult> execute(GraphQLRequest request) {
            return execute(GraphQLCall.of(request));
        }

        @Override
        public CompletableFuture<ExecutionResult> execute(GraphQLCall call) {
            CompletableFuture<ExecutionResult> answer = new CompletableFuture<>();
            if (closed.isDone()) {
                answer.completeExceptionally(closed.join());
            } else {
                exchanges.add(new Exchange(call, answer));
            }
            return answer;
        }

        Exchange last() {
            return exchanges.get(exchanges.size() - 1);
        }

        @Override
        public Flow.Publisher<ExecutionResult> subscribe(GraphQLRequest request) {
            // Runnable::run delivers synchronously on the test's thread.
            SubmissionPublisher<ExecutionResult> stream = new SubmissionPublisher<>(Runnable::run, 16);
            streams.add(stream);
            subscribed.add(request);
            return stream;
        }

        @Override
        public void timedOut(GraphQLCall call) {
            timedOut.add(call);
        }

        @Override
        public CompletionStage<TransportClosedException> whenClosed() {
            return closed;
        }

        @Override
        public boolean isOpen() {
            return !closed.isDone();
        }

        /** The link breaks: pending exchanges and streams fail with the reason. */
        void breakWith(TransportClosedException reason) {
            if (closed.complete(reason)) {
                exchanges.forEach(exchange -> exchange.answer().completeExceptionally(reason));
                streams.forEach(stream -> stream.closeExceptionally(reason));
            }
        }

        @Override
        public CompletableFuture<Void> close() {
            breakWith(new TransportClosedException("closed by the client"));
            return CompletableFuture.completedFuture(null);
        }
    }
}
