package dev.jgql.transport.http;

import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.SubscriptionBufferOverflowException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportException;
import dev.jgql.TransportQueryException;
import dev.jgql.engine.HttpEngineRequest;
import dev.jgql.engine.HttpEngineResponse;
import dev.jgql.internal.Futures;
import dev.jgql.transport.support.GraphQLJson;
import dev.jgql.transport.support.IncrementalMerge;
import dev.jgql.transport.support.StreamSubscription;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One stream over HTTP for one subscriber: Apollo's multipart subscription, or the parts of an
 * incremental ({@code @defer}/{@code @stream}) answer as merged snapshots, or a single JSON
 * answer as one event.
 */
final class HttpStream {
    private static final int BUFFER = 1024;

    private final HttpConnection connection;
    private final GraphQLCall call;
    private final boolean subscription;
    private final Flow.Subscriber<? super ExecutionResult> subscriber;
    /** Ends when the stream does; the connection fails it when it closes. */
    private final CompletableFuture<Void> lifetime = new CompletableFuture<>();
    private StreamSubscription stream;
    private volatile CompletableFuture<HttpEngineResponse> exchange;
    private volatile MultipartReader reader;
    private IncrementalMerge merge;

    HttpStream(HttpConnection connection, GraphQLCall call, boolean subscription,
            Flow.Subscriber<? super ExecutionResult> subscriber) {
        this.connection = connection;
        this.call = call;
        this.subscription = subscription;
        this.subscriber = subscriber;
    }

    void open() {
        stream = new StreamSubscription(subscriber, connection.streamExecutor(), BUFFER);
        stream.open(new StreamSubscription.Owner() {
            @Override
            public void start() {
                send();
            }

            @Override
            public void cancel() {
                lifetime.complete(null);
            }
        });
    }

    private void send() {
        if (connection.isClosedNow()) {
            stream.fail(connection.notSent());
            return;
        }
        HttpEngineRequest request;
        try {
            request = connection.streamRequest(call, subscription);
        } catch (RuntimeException e) {
            stream.fail(e instanceof TransportException ? e
                    : new TransportException("Could not build the HTTP request for " + call.request() + ": " + e.getMessage(), e));
            return;
        }
        lifetime.whenComplete((value, failure) -> {
            if (failure != null) {
                stream.fail(failure);
            }
            MultipartReader current = reader;
            if (current != null) {
                current.stop();
            }
            CompletableFuture<HttpEngineResponse> sent = exchange;
            if (sent != null) {
                sent.cancel(true);
            }
        });
        connection.track(lifetime);
        CompletableFuture<HttpEngineResponse> sent = connection.engine().execute(request);
        exchange = sent;
        if (lifetime.isDone()) {
            sent.cancel(true);
        }
        sent.whenComplete((response, failure) -> {
            if (failure != null) {
                lifetime.completeExceptionally(connection.failureOf(Futures.unwrap(failure)));
            } else if (!response.isStreamed()) {
                whole(response);
            } else if (!lifetime.isDone()) {
                reader = MultipartReader.read(response, connection.where(), connection.objectMapper(), connection.partLimit(),
                        new Parts());
                if (lifetime.isDone() && reader != null) {
                    reader.stop();
                }
            } else {
                // stopped while the headers were on their way: close the body nobody will read
                response.discard();
            }
        });
    }

    private void whole(HttpEngineResponse response) {
        ExecutionResult result;
        try {
            result = connection.classifyWhole(response);
        } catch (RuntimeException e) {
            lifetime.completeExceptionally(e);
            return;
        }
        if (result.hasErrors() && !result.isDataPresent()) {
            lifetime.completeExceptionally(new TransportQueryException(result));
        } else {
            stream.offer(result);
            stream.complete();
            lifetime.complete(null);
        }
    }

    private void offer(ExecutionResult event) {
        if (!stream.offer(event)) {
            lifetime.completeExceptionally(new SubscriptionBufferOverflowException("The subscriber of " + call.request()
                    + " on " + connection.where() + " did not keep up: " + BUFFER
                    + " events waited for its demand; the stream was stopped", BUFFER));
        }
    }

    /** The parts of the multipart answer. */
    private final class Parts implements MultipartReader.Sink {
        @Override
        public void part(Map<String, Object> json) {
            String what = "A part of the multipart response from " + connection.where();
            if (subscription && !json.containsKey("data") && !json.containsKey("incremental")) {
                if (json.isEmpty()) {
                    return; // a heartbeat
                }
                Object payload = json.get("payload");
                if (payload instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> result = (Map<String, Object>) map;
                    offer(GraphQLJson.toResult(result, what).build());
                } else if (json.get("errors") != null) {
                    // a transport-level error: it ends the subscription
                    lifetime.completeExceptionally(new TransportQueryException(ExecutionResult.builder()
                            .errors(GraphQLJson.toErrors(json.get("errors"), what)).build()));
                }
                return;
            }
            if (merge == null) {
                merge = new IncrementalMerge();
            }
            offer(merge.apply(json, () -> what));
        }

        @Override
        public void end(boolean closed) {
            if (closed || merge != null && merge.isFinished() && !subscription) {
                stream.complete();
                lifetime.complete(null);
            } else {
                lifetime.completeExceptionally(new TransportConnectionFailedException("The multipart response from "
                        + connection.where() + " ended without its closing delimiter"
                        + (subscription ? "" : " before its last part (hasNext: false)")
                        + "; the request may have reached the server", true, null));
            }
        }

        @Override
        public void failed(RuntimeException failure) {
            lifetime.completeExceptionally(failure);
        }
    }
}
