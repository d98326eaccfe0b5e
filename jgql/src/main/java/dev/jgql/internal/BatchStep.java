package dev.jgql.internal;

import dev.jgql.Batching;
import dev.jgql.CallOptions;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.OperationType;
import dev.jgql.TransportProtocolException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Batching, a step about requests: gathers calls that have each passed the steps above it
 * (interceptors, validation, persisted queries) and sends them down the rest of the pipeline as one
 * batch call ({@link CallAttributes#BATCH}), which deadline, retries and the attempt then treat as
 * one call: its request is a mutation if any of the batch is one that may not be repeated, so a
 * batch holding a mutation follows the rules for mutations. The calls of an
 * {@link #executeBatch explicit batch} go together once each has arrived (or failed on its way);
 * with {@link Batching automatic batching}, calls started within the interval go together, at
 * most {@code maxCount} at a time. A call sent again after its batch left (a persisted query whose
 * document the server asks for) goes on its own. One per session; only over a transport that
 * carries batches (HTTP).
 */
final class BatchStep implements GraphQLInterceptor {
    private static final String GROUP = "jgql.batchGroup";
    private static final String INDEX = "jgql.batchIndex";

    private final Batching automatic;
    private final ScheduledExecutorService scheduler;
    // guarded by this
    private List<Member> queue = new ArrayList<>();
    private Chain queueChain;
    private ScheduledFuture<?> timer;

    /** @param automatic the automatic batching, or null for explicit batches only */
    BatchStep(Batching automatic, ScheduledExecutorService scheduler) {
        this.automatic = automatic;
        this.scheduler = scheduler;
    }

    @Override
    public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
        if (CallAttributes.batch(call) != null || call.attributes().containsKey(CallAttributes.UPLOADS)) {
            return chain.proceed(call);
        }
        Group group = call.attribute(GROUP, Group.class).orElse(null);
        if (group != null) {
            return group.arrive(call, call.attribute(INDEX, Integer.class).orElseThrow(), chain);
        }
        if (automatic == null || call.request().operationType() == OperationType.SUBSCRIPTION) {
            return chain.proceed(call);
        }
        return enqueue(call, chain);
    }

    private CompletableFuture<ExecutionResult> enqueue(GraphQLCall call, Chain chain) {
        Member member = new Member(call);
        List<Member> full = null;
        synchronized (this) {
            queue.add(member);
            queueChain = chain;
            if (queue.size() >= automatic.maxCount()) {
                full = takeQueue();
            } else if (queue.size() == 1) {
                try {
                    timer = scheduler.schedule(this::flushQueue, automatic.interval().toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    full = takeQueue(); // the session is closing: its attempt step says so
                }
            }
        }
        if (full != null) {
            send(full, chain);
        }
        return member.result;
    }

    private List<Member> takeQueue() {
        List<Member> taken = queue;
        queue = new ArrayList<>();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        return taken;
    }

    private void flushQueue() {
        List<Member> taken;
        Chain chain;
        synchronized (this) {
            taken = takeQueue();
            chain = queueChain;
        }
        if (!taken.isEmpty()) {
            send(taken, chain);
        }
    }

    /**
     * Sends these requests as one batch through {@code pipeline} (each through the steps above
     * this one on its own); the future completes with the result of each, in order, or fails with
     * the first failure.
     */
    static CompletableFuture<List<ExecutionResult>> executeBatch(List<GraphQLRequest> requests, CallOptions options,
            Function<GraphQLCall, CompletableFuture<ExecutionResult>> pipeline) {
        Group group = new Group(requests.size());
        List<CompletableFuture<ExecutionResult>> results = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int index = i;
            CompletableFuture<ExecutionResult> result;
            try {
                result = pipeline.apply(GraphQLCall.of(requests.get(i), options)
                        .withAttribute(GROUP, group).withAttribute(INDEX, index));
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            result.whenComplete((value, failure) -> group.departed(index));
            results.add(result);
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> {
                    List<ExecutionResult> inOrder = new ArrayList<>(results.size());
                    for (CompletableFuture<ExecutionResult> result : results) {
                        if (result.isCompletedExceptionally()) {
                            result.join(); // throws the first failure, in request order
                        }
                        inOrder.add(result.join());
                    }
                    return List.copyOf(inOrder);
                });
    }

    /** Sends these calls as one batch call down the chain, and each its own result back. */
    private static void send(List<Member> members, Chain chain) {
        if (members.size() == 1) {
            forward(chain.proceed(members.get(0).call), members.get(0).result);
            return;
        }
        Member decides = members.get(0);
        for (Member member : members) {
            if (member.call.request().operationType() == OperationType.MUTATION && !member.call.options().idempotent()) {
                decides = member;
                break;
            }
        }
        List<GraphQLCall> calls = members.stream().map(member -> member.call).toList();
        CompletableFuture<ExecutionResult> answer;
        try {
            answer = chain.proceed(decides.call.withAttribute(CallAttributes.BATCH, calls));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((batch, failure) -> {
            if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                members.forEach(member -> member.result.completeExceptionally(cause));
                return;
            }
            List<ExecutionResult> results = CallAttributes.batchResults(batch);
            if (results == null || results.size() != members.size()) {
                TransportProtocolException wrong = new TransportProtocolException("The transport answered a batch of "
                        + members.size() + " requests with " + (results == null ? "a single result" : results.size()
                        + " results") + "; it must answer each request of a batch");
                members.forEach(member -> member.result.completeExceptionally(wrong));
                return;
            }
            for (int i = 0; i < members.size(); i++) {
                members.get(i).result.complete(results.get(i));
            }
        });
    }

    private static void forward(CompletableFuture<ExecutionResult> from, CompletableFuture<ExecutionResult> to) {
        from.whenComplete((value, failure) -> {
            if (failure != null) {
                to.completeExceptionally(Futures.unwrap(failure));
            } else {
                to.complete(value);
            }
        });
    }

    /** One call waiting for its batch. */
    private static final class Member {
        final GraphQLCall call;
        final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();

        Member(GraphQLCall call) {
            this.call = call;
        }
    }

    /** The calls of one explicit batch: sent once each has arrived here or ended on its way. */
    private static final class Group {
        private final Member[] members;
        private final boolean[] settled;
        private int settledCount;
        private boolean sent;
        private Chain chain;

        Group(int size) {
            this.members = new Member[size];
            this.settled = new boolean[size];
        }

        CompletableFuture<ExecutionResult> arrive(GraphQLCall call, int index, Chain chain) {
            Member member;
            List<Member> ready;
            synchronized (this) {
                if (sent || settled[index]) {
                    return chain.proceed(call); // sent again after its batch left: on its own
                }
                member = new Member(call);
                members[index] = member;
                this.chain = chain;
                ready = settle(index);
            }
            if (ready != null) {
                send(ready, chain);
            }
            return member.result;
        }

        /** A call of the batch ended: if it never arrived (it failed on its way), the others need not wait for it. */
        void departed(int index) {
            List<Member> ready;
            Chain sendOn;
            synchronized (this) {
                if (settled[index]) {
                    return;
                }
                ready = settle(index);
                sendOn = chain;
            }
            if (ready != null && !ready.isEmpty()) {
                send(ready, sendOn);
            }
        }

        /** Marks a call settled; once all are, the calls that arrived, in order (guarded by this). */
        private List<Member> settle(int index) {
            settled[index] = true;
            settledCount++;
            if (settledCount < members.length) {
                return null;
            }
            sent = true;
            List<Member> arrived = new ArrayList<>(members.length);
            for (Member member : members) {
                if (member != null) {
                    arrived.add(member);
                }
            }
            return arrived;
        }
    }
}
