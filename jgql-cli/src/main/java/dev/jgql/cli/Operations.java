package dev.jgql.cli;

import dev.jgql.AsyncSession;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.ResubscriptionListener;
import dev.jgql.TransportTimeoutException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Running one operation and printing what comes back; shared by the one-shot and the interactive mode. */
final class Operations {
    /**
     * How much longer than jgql's own bound the CLI waits for an answer: jgql's timeout fires
     * first, with its own message; this is only the backstop that keeps every wait bounded.
     */
    static final Duration BACKSTOP = Duration.ofSeconds(5);

    private Operations() {
    }

    /** Ctrl-C ended the wait; the operation was cancelled. */
    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted: the request was cancelled");
        }
    }

    /**
     * Waits for a future, at most {@code limit}, or until {@code stop} fires.
     *
     * @throws Interrupted                if {@code stop} fired first (the future is cancelled)
     * @throws TransportTimeoutException  if {@code limit} passed first (the future is cancelled)
     * @throws RuntimeException           the future's own failure, unwrapped
     */
    static <T> T await(CompletableFuture<T> future, Duration limit, CompletableFuture<Void> stop) {
        try {
            CompletableFuture.anyOf(future, stop).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TransportTimeoutException("No answer within " + limit.toSeconds() + " s", limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new Interrupted();
        } catch (ExecutionException e) {
            // the future failed: reported below with its own exception
        }
        if (!future.isDone()) {
            future.cancel(true);
            throw new Interrupted();
        }
        try {
            return future.join();
        } catch (RuntimeException e) {
            Throwable cause = Failures.unwrap(e);
            throw cause instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /**
     * Prints an answer: its {@code data} (or, with {@code fullResponse}, the whole response) on
     * {@code out}, its GraphQL errors on the reporter.
     *
     * @return 0, or 1 when the answer holds GraphQL errors
     */
    static int print(ExecutionResult result, boolean fullResponse, JsonPrinter json, PrintWriter out, Reporter reporter) {
        if (fullResponse) {
            out.println(json.format(wholeResponse(result)));
        } else if (result.isDataPresent()) {
            out.println(json.format(result.data()));
        }
        out.flush();
        reporter.graphqlErrors(result.errors());
        return result.hasErrors() ? ExitCodes.GRAPHQL_ERRORS : ExitCodes.OK;
    }

    private static Map<String, Object> wholeResponse(ExecutionResult result) {
        Map<String, Object> response = new LinkedHashMap<>();
        if (result.hasErrors()) {
            response.put("errors", result.errors().stream().map(Operations::errorJson).toList());
        }
        if (result.isDataPresent()) {
            response.put("data", result.data());
        }
        if (!result.extensions().isEmpty()) {
            response.put("extensions", result.extensions());
        }
        return response;
    }

    private static Map<String, Object> errorJson(GraphQLError error) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message", error.message());
        if (!error.locations().isEmpty()) {
            json.put("locations", error.locations().stream()
                    .map(location -> Map.of("line", location.line(), "column", location.column())).toList());
        }
        if (!error.path().isEmpty()) {
            json.put("path", error.path());
        }
        if (!error.extensions().isEmpty()) {
            json.put("extensions", error.extensions());
        }
        return json;
    }

    /**
     * Follows a subscription: one JSON line per event on {@code out} as it arrives (its GraphQL
     * errors on the reporter, the stream going on), until the stream ends or {@code stop} fires;
     * then the operation is cancelled on the server ({@code complete}). One event is requested at a
     * time, so a slow reader of {@code out} holds the server back instead of filling memory.
     *
     * @return 0, or 1 when an event held GraphQL errors
     * @throws RuntimeException the failure that ended the stream (a broken link, an {@code error} message)
     */
    static int follow(AsyncSession session, GraphQLRequest request, JsonPrinter json, PrintWriter out,
            Reporter reporter, CompletableFuture<Void> stop) {
        EventQueue events = new EventQueue();
        stop.thenRun(() -> events.signals.add(Signal.STOP));
        session.subscribeForResults(request).subscribe(events);
        boolean sawErrors = false;
        try {
            while (true) {
                Object signal = events.signals.take();
                if (signal instanceof ExecutionResult event) {
                    if (event.isDataPresent() && event.data() != null) {
                        out.println(json.format(event.data()));
                        out.flush();
                    }
                    reporter.graphqlErrors(event.errors());
                    sawErrors |= event.hasErrors();
                    events.requestOne();
                } else if (signal instanceof GraphQLRequest) {
                    reporter.notice("resubscribed after a reconnect; events sent while the link was down are lost");
                } else if (signal instanceof Throwable failure) {
                    throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
                } else if (signal == Signal.COMPLETE) {
                    break;
                } else if (signal == Signal.STOP) {
                    events.cancel();
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.cancel();
        }
        return sawErrors ? ExitCodes.GRAPHQL_ERRORS : ExitCodes.OK;
    }

    private enum Signal { COMPLETE, STOP }

    /** Hands a subscription's signals to the printing thread, in order. */
    private static final class EventQueue implements Flow.Subscriber<ExecutionResult>, ResubscriptionListener {
        final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        private Flow.Subscription subscription;
        private boolean cancelled;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            boolean cancelNow;
            synchronized (this) {
                this.subscription = subscription;
                cancelNow = cancelled;
            }
            if (cancelNow) {
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(ExecutionResult event) {
            signals.add(event);
        }

        @Override
        public void onError(Throwable failure) {
            signals.add(Failures.unwrap(failure));
        }

        @Override
        public void onComplete() {
            signals.add(Signal.COMPLETE);
        }

        @Override
        public void onResubscribed(GraphQLRequest request) {
            signals.add(request);
        }

        void requestOne() {
            Flow.Subscription current;
            synchronized (this) {
                current = subscription;
            }
            if (current != null) {
                current.request(1);
            }
        }

        void cancel() {
            Flow.Subscription current;
            synchronized (this) {
                cancelled = true;
                current = subscription;
            }
            if (current != null) {
                current.cancel();
            }
        }
    }
}
