package dev.jgql.session;

import dev.failsafe.RetryPolicy;
import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.ConnectionState;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.ResubscriptionListener;
import dev.jgql.TransportClosedException;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportQueryException;
import dev.jgql.TransportServerException;
import dev.jgql.TransportTimeoutException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every timing rule of the permanent session, on fake time: no sleeps. */
@Timeout(20)
class ReconnectingSessionTest {
    private static final GraphQLRequest QUERY = gql("query Q($code: ID!) { continent(code: $code) { name } }");
    private static final GraphQLRequest MUTATION = gql("mutation { increment }");
    private static final GraphQLRequest SUBSCRIPTION = gql("subscription { countdown(from: 3) }");

    private final FakeScheduler time = new FakeScheduler();
    private final ScriptedTransport transport = new ScriptedTransport(false);
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    private Client client = client(Duration.ofSeconds(10));

    private Client client(Duration executeTimeout) {
        return Client.builder().transport(transport).scheduler(time).clock(time.clock())
                .executeTimeout(executeTimeout).build();
    }

    @AfterEach
    void close() {
        client.closeAsync().join();
        assertThat(time.pendingTaskCount()).as("timers left behind").isZero();
    }

    private ReconnectingSession connected(Reconnect options) {
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(options);
        client.session().addStateListener((from, to) -> states.add(to));
        transport.acceptLast();
        return connecting.join();
    }

    private static TransportConnectionFailedException refused() {
        return new TransportConnectionFailedException("refused", false, null);
    }

    private static TransportConnectionFailedException reset() {
        return new TransportConnectionFailedException("reset", true, null);
    }

    private static Duration seconds(double value) {
        return Duration.ofMillis((long) (value * 1000));
    }

    // ---- connection retries ---------------------------------------------------------------------

    @Test
    void connectRetriesForeverWithJitteredExponentialBackoffCappedAt60Seconds() {
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(Reconnect.defaults());
        List<Duration> cappedDelays = new ArrayList<>();
        for (int retry = 1; retry <= 30; retry++) {
            transport.lastConnect().completeExceptionally(refused());
            double ceiling = Math.min(60, Math.pow(2, retry - 1));
            Duration delay = time.nextDelay().orElseThrow();
            assertThat(delay).as("delay before retry %d", retry)
                    .isBetween(seconds(ceiling / 2), seconds(ceiling));
            if (ceiling == 60) {
                cappedDelays.add(delay);
            }
            time.advance(delay);
            assertThat(transport.connects).hasSize(retry + 1);
        }
        assertThat(cappedDelays.stream().distinct().count()).as("jitter spreads the capped delays").isGreaterThan(1);
        assertThat(connecting).isNotDone();
        assertThat(client.session().state()).isEqualTo(ConnectionState.CONNECTING);

        transport.acceptLast();
        assertThat(connecting).isCompleted();
        assertThat(client.session().state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aCustomConnectPolicyThatGivesUpFailsConnectAsyncAndClosesTheSession() {
        RetryPolicy<Object> twice = RetryPolicy.builder().handle(Exception.class).withMaxRetries(1)
                .withDelay(Duration.ofSeconds(5)).build();
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(Reconnect.builder().retryConnect(twice).build());
        ReconnectingSession session = client.session();
        transport.lastConnect().completeExceptionally(refused());
        time.advance(Duration.ofSeconds(5));
        TransportConnectionFailedException last = refused();
        transport.lastConnect().completeExceptionally(last);

        assertThatThrownBy(connecting::join).hasCause(last);
        assertThat(session.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(transport.connects).hasSize(2);
    }

    @Test
    void connectAsyncCanReturnAtOnceAndRequestsWaitForTheLink() {
        CompletableFuture<ReconnectingSession> connecting =
                client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build());
        assertThat(connecting).isCompleted();
        ReconnectingSession session = connecting.join();
        transport.lastConnect().completeExceptionally(refused());

        CompletableFuture<Map<String, Object>> waiting = session.execute(QUERY, Map.of("code", "EU"));
        time.advance(Duration.ofSeconds(1));
        ScriptedTransport.Link link = transport.acceptLast();
        assertThat(waiting).isNotDone();
        assertThat(link.last().request().variables()).containsEntry("code", "EU");
        link.last().answer().complete(ScriptedTransport.data(Map.of("continent", Map.of("name", "Europe"))));

        assertThat(waiting.join()).containsEntry("continent", Map.of("name", "Europe"));
    }

    @Test
    void aRequestWaitingForTheLinkFailsAtItsTimeoutWithTheLastFailureOrATimeout() {
        client = client(Duration.ofSeconds(3));
        ReconnectingSession session = client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build()).join();

        CompletableFuture<Map<String, Object>> waiting = session.execute(QUERY);
        time.advance(Duration.ofSeconds(3));

        assertThatThrownBy(waiting::join).hasCauseInstanceOf(TransportTimeoutException.class);
    }

    // ---- execute retries --------------------------------------------------------------------------

    @Test
    void executeIsTriedFiveTimesWithBackoffThenFailsWithTheLastFailureAndTheEarlierOnesSuppressed() {
        client = client(Duration.ofMinutes(5));
        ScriptedTransport.Link link = connected(Reconnect.defaults()).state() == ConnectionState.CONNECTED
                ? (ScriptedTransport.Link) transport.lastConnect().join() : null;
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        List<TransportServerException> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(link.exchanges).hasSize(attempt);
            TransportServerException failure = new TransportServerException("HTTP 502 #" + attempt, 502, "", null, Map.of());
            failures.add(failure);
            link.last().answer().completeExceptionally(failure);
            if (attempt < 5) {
                double ceiling = Math.min(5, 0.2 * Math.pow(2, attempt - 1));
                Duration delay = time.nextDelay().orElseThrow();
                assertThat(delay).isBetween(seconds(ceiling / 2), seconds(ceiling));
                time.advance(delay);
            }
        }

        assertThatThrownBy(call::join).cause().isSameAs(failures.get(4))
                .satisfies(last -> assertThat(last.getSuppressed()).containsExactlyElementsOf(failures.subList(0, 4)));
        assertThat(link.exchanges).hasSize(5);
    }

    @Test
    void graphQLErrorsAreAnswersAndAreNeverRetried() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        link.last().answer().complete(ExecutionResult.builder()
                .errors(List.of(new GraphQLError("no such continent", null, null, null))).build());

        assertThatThrownBy(call::join).cause().isInstanceOf(TransportQueryException.class)
                .hasMessageContaining("no such continent");
        assertThat(link.exchanges).hasSize(1);
        assertThat(time.pendingTaskCount()).isZero();
    }

    @Test
    void executeRetriesCanBeSwitchedOff() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.builder().noExecuteRetry().build()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        link.last().answer().completeExceptionally(new TransportServerException("502", 502, "", null, Map.of()));

        assertThatThrownBy(call::join).cause().isInstanceOf(TransportServerException.class);
        assertThat(link.exchanges).hasSize(1);
    }

    @Test
    void theSeedsThreeTryPolicyTriesThreeTimes() {
        RetryPolicy<Object> threeTries = Reconnect.backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .handle(Exception.class).withMaxAttempts(3).abortOn(TransportQueryException.class).build();
        client = client(Duration.ofMinutes(1));
        ScriptedTransport.Link link = linkOf(connected(Reconnect.builder().retryExecute(threeTries).build()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        for (int attempt = 1; attempt <= 3; attempt++) {
            link.last().answer().completeExceptionally(new TransportServerException("503", 503, "", null, Map.of()));
            time.advance(Duration.ofSeconds(10));
        }

        assertThat(call).isCompletedExceptionally();
        assertThat(link.exchanges).hasSize(3);
    }

    @Test
    void retryAfterIsHonouredEvenWhenThePolicyWaitsLess() {
        client = client(Duration.ofMinutes(2));
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        link.last().answer().completeExceptionally(
                new TransportServerException("429", 429, "", Duration.ofSeconds(30), Map.of()));

        time.advance(Duration.ofSeconds(29));
        assertThat(link.exchanges).as("no retry before Retry-After").hasSize(1);
        time.advance(Duration.ofSeconds(1));
        assertThat(link.exchanges).hasSize(2);
        link.last().answer().complete(ScriptedTransport.data(Map.of("ok", true)));
        assertThat(call.join()).containsEntry("ok", true);
    }

    // ---- mutations ---------------------------------------------------------------------------------

    @Test
    void aMutationThatMayHaveBeenSentIsNotRetried() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(MUTATION);
        TransportConnectionFailedException reset = reset();
        link.last().answer().completeExceptionally(reset);
        time.advance(Duration.ofMinutes(1));

        assertThatThrownBy(call::join).cause().isSameAs(reset);
        assertThat(link.exchanges).hasSize(1);
    }

    @Test
    void aMutationThatTimedOutOrGotAnHttpErrorIsNotRetriedEither() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(MUTATION);
        link.last().answer().completeExceptionally(new TransportServerException("502", 502, "", null, Map.of()));
        time.advance(Duration.ofMinutes(1));

        assertThat(call).isCompletedExceptionally();
        assertThat(link.exchanges).hasSize(1);
    }

    @Test
    void aMutationThatProvablyNeverLeftIsRetried() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(MUTATION);
        link.last().answer().completeExceptionally(refused());
        time.advance(Duration.ofSeconds(1));
        ScriptedTransport.Link next = transport.acceptLast();
        time.advance(Duration.ofSeconds(1));
        next.last().answer().complete(ScriptedTransport.data(Map.of("increment", 1)));

        assertThat(call.join()).containsEntry("increment", 1);
    }

    @Test
    void unsafeMutationRetriesAreOptIn() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.builder().retryUnsafeMutations(true).build()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(MUTATION);
        link.last().answer().completeExceptionally(new TransportServerException("502", 502, "", null, Map.of()));
        time.advance(Duration.ofSeconds(1));
        link.last().answer().complete(ScriptedTransport.data(Map.of("increment", 2)));

        assertThat(call.join()).containsEntry("increment", 2);
        assertThat(link.exchanges).hasSize(2);
    }

    // ---- reconnects -------------------------------------------------------------------------------

    @Test
    void aHundredFailuresAtOnceCauseOneReconnect() {
        client = client(Duration.ofMinutes(1));
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        List<CompletableFuture<Map<String, Object>>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(client.session().execute(QUERY, Map.of("code", "EU")));
        }
        link.breakWith(new TransportConnectionFailedException("link dropped", false, null));

        assertThat(transport.connects).as("one reconnect").hasSize(2);
        assertThat(client.session().state()).isEqualTo(ConnectionState.RECONNECTING);
        time.advance(Duration.ofSeconds(5));
        ScriptedTransport.Link next = transport.acceptLast();
        time.advance(Duration.ofSeconds(5));
        assertThat(next.exchanges).hasSize(100);
        next.exchanges.forEach(exchange -> exchange.answer().complete(ScriptedTransport.data(Map.of("n", 1))));

        assertThat(calls).allSatisfy(call -> assertThat(call.join()).containsEntry("n", 1));
        assertThat(transport.connects).hasSize(2);
        assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
    }

    @Test
    void aLinklessTransportConnectsAtOnceAndLearnsReachabilityFromRequests() {
        ScriptedTransport http = new ScriptedTransport(true);
        client = Client.builder().transport(http).scheduler(time).clock(time.clock()).build();
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(Reconnect.defaults());
        ScriptedTransport.Link link = http.acceptLast();
        ReconnectingSession session = connecting.join();
        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(link.exchanges).as("connecting sent nothing").isEmpty();

        CompletableFuture<Map<String, Object>> inFlight = session.execute(QUERY);
        CompletableFuture<Map<String, Object>> failing = session.execute(QUERY, CallOptions.builder().retry(false).build());
        link.last().answer().completeExceptionally(refused());

        assertThat(failing).isCompletedExceptionally();
        assertThat(session.state()).as("a request found the server unreachable").isEqualTo(ConnectionState.RECONNECTING);
        assertThat(http.probes).as("checked at once").hasSize(1);
        http.lastProbe().completeExceptionally(refused());
        assertThat(time.nextDelay().orElseThrow()).as("a call waits: within the demand interval")
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
        time.advance(time.nextDelay().orElseThrow());
        http.reachable(link);

        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(http.connects).as("the same connection, so in-flight requests are not cut off").hasSize(1);
        assertThat(link.exchanges.get(0).answer()).isNotDone();
        link.exchanges.get(0).answer().complete(ScriptedTransport.data(Map.of("ok", 1)));
        assertThat(inFlight).isCompletedWithValue(Map.of("ok", 1));
    }

    @Test
    void backoffProtectsABackendNobodyWaitsForAndACallingRequestBringsTheNextCheckForward() {
        ScriptedTransport http = new ScriptedTransport(true);
        client = Client.builder().transport(http).scheduler(time).clock(time.clock())
                .executeTimeout(Duration.ofSeconds(3)).build();
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(Reconnect.builder().noExecuteRetry().build());
        ScriptedTransport.Link link = http.acceptLast();
        ReconnectingSession session = connecting.join();
        CompletableFuture<Map<String, Object>> first = session.execute(QUERY);
        link.last().answer().completeExceptionally(refused());
        assertThat(first).isCompletedExceptionally();
        time.advance(Duration.ofSeconds(5)); // the call's demand is over

        List<Duration> delays = new ArrayList<>();
        for (int check = 1; check <= 4; check++) {
            http.lastProbe().completeExceptionally(refused());
            Duration delay = time.nextDelay().orElseThrow();
            delays.add(delay);
            if (check < 4) {
                time.advance(delay);
            }
        }
        assertThat(delays.get(3)).as("nobody waits: the backoff has grown").isGreaterThanOrEqualTo(Duration.ofSeconds(4));

        CompletableFuture<Map<String, Object>> waiting = session.execute(QUERY);
        assertThat(time.nextDelay().orElseThrow()).as("a waiting call brings the next check forward")
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
        time.advance(time.nextDelay().orElseThrow());
        assertThat(http.probes).hasSize(5);
        http.reachable(link);
        link.last().answer().complete(ScriptedTransport.data(Map.of("back", true)));

        assertThat(waiting).isCompletedWithValue(Map.of("back", true));
    }

    // ---- close ------------------------------------------------------------------------------------

    @Test
    void closeMidBackoffIsPromptAndFailsWaitingRequests() {
        ReconnectingSession session = client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build()).join();
        session.addStateListener((from, to) -> states.add(to));
        transport.lastConnect().completeExceptionally(refused());
        assertThat(time.pendingTaskCount()).as("backoff timer").isPositive();
        CompletableFuture<Map<String, Object>> waiting = session.execute(QUERY);

        CompletableFuture<Void> closing = client.closeAsync();

        assertThat(closing).isCompleted();
        assertThatThrownBy(waiting::join).cause().isInstanceOf(TransportClosedException.class)
                .hasMessageContaining("closed by the application");
        assertThat(session.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(states).containsExactly(ConnectionState.CLOSED);
        assertThatThrownBy(client::session).isInstanceOf(JgqlUsageException.class);
        assertThat(session.execute(QUERY)).isCompletedExceptionally();
        time.advance(Duration.ofMinutes(5));
        assertThat(transport.connects).as("no connect after close").hasSize(1);
    }

    @Test
    void aLinkThatOpensAfterCloseIsClosedAtOnce() {
        client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build());
        client.closeAsync().join();

        ScriptedTransport.Link late = transport.acceptLast();

        assertThat(late.isOpen()).as("the link that finished opening after close").isFalse();
    }

    @Test
    void cancellingOrTimingOutAnAttemptCancelsTheRequestOnTheWire() {
        client = client(Duration.ofSeconds(3));
        ScriptedTransport.Link link = linkOf(connected(Reconnect.builder().noExecuteRetry().build()));
        CompletableFuture<Map<String, Object>> cancelled = client.session().execute(QUERY);
        CompletableFuture<Map<String, Object>> timedOut = client.session().execute(QUERY);

        cancelled.cancel(true);
        time.advance(Duration.ofSeconds(3));

        assertThat(link.exchanges).hasSize(2).allSatisfy(exchange -> assertThat(exchange.answer()).isCancelled());
        assertThat(timedOut).isCompletedExceptionally();
        assertThatThrownBy(timedOut::join).cause().isInstanceOf(TransportTimeoutException.class)
                .satisfies(e -> assertThat(((TransportTimeoutException) e).requestMayHaveBeenSent()).isTrue());
        assertThat(link.timedOut).as("the connection is told, to check its link").hasSize(1);
    }

    @Test
    void theExecuteTimeoutBoundsEachAttemptSoAHungAttemptIsRetried() {
        client = client(Duration.ofSeconds(3));
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);

        time.advance(Duration.ofSeconds(3));
        assertThat(link.exchanges.get(0).answer()).as("the hung attempt is abandoned").isCancelled();
        time.advance(time.nextDelay().orElseThrow());
        assertThat(link.exchanges).as("and tried again").hasSize(2);
        link.last().answer().complete(ScriptedTransport.data(Map.of("ok", true)));

        assertThat(call).isCompletedWithValue(Map.of("ok", true));
    }

    @Test
    void aDeadlineBoundsTheWholeCallAndNoRetryIsScheduledPastIt() {
        client = client(Duration.ofSeconds(3));
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        // The first retry would come 100-200 ms after the first attempt times out at 3 s: past the deadline.
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY,
                CallOptions.builder().deadline(Duration.ofMillis(3100)).build());

        time.advance(Duration.ofSeconds(3));

        assertThat(call).as("given up at once rather than retried past the deadline").isCompletedExceptionally();
        assertThatThrownBy(call::join).cause().isInstanceOf(TransportTimeoutException.class);
        assertThat(link.exchanges).hasSize(1);
        assertThat(time.pendingTaskCount()).as("nothing scheduled past the deadline").isZero();
    }

    @Test
    void theDeadlineEndsACallThatWaitsForALink() {
        client = client(Duration.ofSeconds(30));
        ReconnectingSession session = client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build()).join();
        CompletableFuture<Map<String, Object>> call = session.execute(QUERY, CallOptions.builder()
                .deadline(Duration.ofSeconds(2)).build());
        transport.lastConnect().completeExceptionally(refused());

        time.advance(Duration.ofSeconds(2));

        assertThat(call).isCompletedExceptionally();
        assertThatThrownBy(call::join).cause().isInstanceOf(TransportTimeoutException.class)
                .hasMessageContaining("deadline").cause().hasMessage("refused");
    }

    @Test
    void aFailFastCallFailsAtOnceWhileTheLinkIsDownAndSaysWhy() {
        ReconnectingSession session = client.connectAsync(Reconnect.builder().awaitFirstConnection(false).build()).join();
        transport.lastConnect().completeExceptionally(refused());

        CompletableFuture<Map<String, Object>> call = session.execute(MUTATION, CallOptions.builder().failFast(true).build());

        assertThat(call).isCompletedExceptionally();
        assertThatThrownBy(call::join).cause().isInstanceOf(TransportConnectionFailedException.class)
                .hasMessageContaining("down").hasMessageContaining("refused")
                .satisfies(e -> assertThat(((TransportConnectionFailedException) e).requestMayHaveBeenSent()).isFalse());
    }

    @Test
    void anIdempotentMutationIsRetriedEvenAfterItMayHaveBeenSent() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(MUTATION,
                CallOptions.builder().idempotent(true).build());
        link.last().answer().completeExceptionally(new TransportServerException("502", 502, "", null, Map.of()));
        time.advance(Duration.ofSeconds(1));
        link.last().answer().complete(ScriptedTransport.data(Map.of("increment", 3)));

        assertThat(call).isCompletedWithValue(Map.of("increment", 3));
        assertThat(link.exchanges).hasSize(2);
    }

    @Test
    void failuresThatRetryingCannotFixAreNotRetriedByTheDefaultPolicy() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        TransportServerException forbidden = new TransportServerException("403", 403, "", null, Map.of());
        link.last().answer().completeExceptionally(forbidden);
        time.advance(Duration.ofMinutes(1));

        assertThat(forbidden.isRetryable()).isFalse();
        assertThatThrownBy(call::join).cause().isSameAs(forbidden);
        assertThat(link.exchanges).hasSize(1);
    }

    @Test
    void aRetryAfterLongerThanTheLimitEndsTheRetries() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.builder().maxRetryAfter(Duration.ofSeconds(10)).build()));
        CompletableFuture<Map<String, Object>> call = client.session().execute(QUERY);
        TransportServerException busy = new TransportServerException("503", 503, "", Duration.ofMinutes(5), Map.of());
        link.last().answer().completeExceptionally(busy);

        assertThat(call).isCompletedExceptionally();
        assertThatThrownBy(call::join).cause().isSameAs(busy);
        assertThat(time.pendingTaskCount()).isZero();
    }

    @Test
    void theSessionHasABlockingViewAndOptionsCanBeDerived() {
        Reconnect options = Reconnect.builder().noExecuteRetry().retryUnsafeMutations(true).build();
        Reconnect derived = options.toBuilder().awaitFirstConnection(false).build();
        assertThat(derived.retryExecute()).isSameAs(options.retryExecute());
        assertThat(derived.retryUnsafeMutations()).isTrue();
        assertThat(derived.awaitFirstConnection()).isFalse();

        ScriptedTransport.Link link = linkOf(connected(derived));
        CompletableFuture<Map<String, Object>> answered = CompletableFuture.supplyAsync(
                () -> client.session().blocking().execute(QUERY, Map.of("code", "EU")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> link.exchanges.size() == 1);
        link.last().answer().complete(ScriptedTransport.data(Map.of("continent", Map.of("name", "Europe"))));

        assertThat(answered.join()).containsEntry("continent", Map.of("name", "Europe"));
    }

    @Test
    void statesAreObservedInOrder() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        link.breakWith(new TransportClosedException("server went away"));
        transport.lastConnect().completeExceptionally(refused());
        time.advance(Duration.ofSeconds(1));
        transport.acceptLast();
        client.closeAsync().join();

        assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED, ConnectionState.CLOSED);
    }

    @Test
    void aClientHasOnePermanentSessionAtATime() {
        connected(Reconnect.defaults());
        assertThatThrownBy(() -> client.connectAsync(Reconnect.defaults())).isInstanceOf(JgqlUsageException.class);
        client.closeAsync().join();
        client.connectAsync(Reconnect.defaults());
        transport.acceptLast();
        assertThat(client.session().state()).isEqualTo(ConnectionState.CONNECTED);
    }

    // ---- subscriptions ----------------------------------------------------------------------------

    @Test
    void byDefaultABrokenLinkEndsTheSubscriptionAndTheSessionReconnects() {
        ScriptedTransport.Link link = linkOf(connected(Reconnect.defaults()));
        RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        client.session().subscribe(SUBSCRIPTION).subscribe(events);
        link.streams.get(0).submit(ScriptedTransport.data(Map.of("countdown", 3)));
        link.breakWith(new TransportConnectionFailedException("gone", true, null));

        assertThat(events.items()).containsExactly(Map.of("countdown", 3));
        assertThat(events.error()).isInstanceOf(TransportClosedException.class);
        assertThat(client.session().state()).isEqualTo(ConnectionState.RECONNECTING);
    }

    @Test
    void optInResubscriptionUsesTheHookSignalsTheGapAndKeepsDemand() {
        List<ExecutionResult> lastEvents = new ArrayList<>();
        Reconnect options = Reconnect.builder().resubscribe((request, lastEvent) -> {
            lastEvents.add(lastEvent);
            return request.withVariables(Map.of("after", lastEvent.data().get("countdown")));
        }).build();
        ScriptedTransport.Link link = linkOf(connected(options));
        List<GraphQLRequest> resubscribed = new ArrayList<>();
        GapAwareRecorder events = new GapAwareRecorder(resubscribed);
        client.session().subscribe(SUBSCRIPTION).subscribe(events);
        events.request(3);
        link.streams.get(0).submit(ScriptedTransport.data(Map.of("countdown", 3)));
        link.breakWith(new TransportConnectionFailedException("gone", true, null));
        assertThat(events.error()).isNull();

        time.advance(Duration.ofSeconds(1));
        ScriptedTransport.Link next = transport.acceptLast();
        assertThat(next.subscribed).hasSize(1);
        assertThat(next.subscribed.get(0).variables()).containsEntry("after", 3);
        assertThat(resubscribed).containsExactly(next.subscribed.get(0));
        next.streams.get(0).submit(ScriptedTransport.data(Map.of("countdown", 2)));
        next.streams.get(0).submit(ScriptedTransport.data(Map.of("countdown", 1)));
        next.streams.get(0).submit(ScriptedTransport.data(Map.of("countdown", 0)));
        next.streams.get(0).close();

        assertThat(events.items()).as("demand of 3 carried over").containsExactly(
                Map.of("countdown", 3), Map.of("countdown", 2), Map.of("countdown", 1));
        events.request(1);
        assertThat(events.items()).hasSize(4);
        assertThat(events.isComplete()).isTrue();
        assertThat(lastEvents).hasSize(1);
    }

    @Test
    void closingTheSessionEndsOpenSubscriptions() {
        linkOf(connected(Reconnect.builder().resubscribe().build()));
        RecordingSubscriber<Map<String, Object>> events = new RecordingSubscriber<>(Long.MAX_VALUE);
        client.session().subscribe(SUBSCRIPTION).subscribe(events);
        client.closeAsync().join();

        assertThat(events.error()).isInstanceOf(TransportClosedException.class);
    }

    private ScriptedTransport.Link linkOf(ReconnectingSession session) {
        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        return (ScriptedTransport.Link) transport.lastConnect().join();
    }

    /** A recording subscriber that also listens for resubscriptions. */
    static final class GapAwareRecorder implements Flow.Subscriber<Map<String, Object>>, ResubscriptionListener {
        private final RecordingSubscriber<Map<String, Object>> recorder = new RecordingSubscriber<>(0);
        private final List<GraphQLRequest> resubscribed;

        GapAwareRecorder(List<GraphQLRequest> resubscribed) {
            this.resubscribed = resubscribed;
        }

        @Override
        public void onResubscribed(GraphQLRequest request) {
            resubscribed.add(request);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            recorder.onSubscribe(subscription);
        }

        @Override
        public void onNext(Map<String, Object> item) {
            recorder.onNext(item);
        }

        @Override
        public void onError(Throwable failure) {
            recorder.onError(failure);
        }

        @Override
        public void onComplete() {
            recorder.onComplete();
        }

        void request(long n) {
            recorder.request(n);
        }

        List<Map<String, Object>> items() {
            return recorder.items();
        }

        Throwable error() {
            return recorder.error();
        }

        boolean isComplete() {
            return recorder.isCompleted();
        }
    }
}
