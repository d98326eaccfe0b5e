package dev.jgql.session;

import dev.jgql.CallOptions;
import dev.jgql.Client;
import dev.jgql.ClientEventListener;
import dev.jgql.ClientEventListener.Outcome;
import dev.jgql.ConnectionState;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLCall;
import dev.jgql.GraphQLError;
import dev.jgql.GraphQLInterceptor;
import dev.jgql.GraphQLRequest;
import dev.jgql.JgqlException;
import dev.jgql.JgqlUsageException;
import dev.jgql.Reconnect;
import dev.jgql.ReconnectingSession;
import dev.jgql.Session;
import dev.jgql.TransportConnectionFailedException;
import dev.jgql.TransportServerException;
import dev.jgql.testkit.FakeScheduler;
import dev.jgql.testkit.RecordingSubscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import static dev.jgql.Gql.gql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request pipeline every session runs its calls through: interceptors, events, options; on fake time. */
@Timeout(20)
class PipelineTest {
    private static final GraphQLRequest QUERY = gql("query Continent { continent(code: \"EU\") { name } }");
    private static final GraphQLRequest SUBSCRIPTION = gql("subscription Countdown { countdown(from: 3) }");

    private final FakeScheduler time = new FakeScheduler();
    private final ScriptedTransport transport = new ScriptedTransport(false);
    private final List<Object> events = new CopyOnWriteArrayList<>();
    private Client client;

    @AfterEach
    void close() {
        if (client != null) {
            client.closeAsync().join();
        }
        assertThat(time.pendingTaskCount()).as("timers left behind").isZero();
    }

    private Client.Builder builder() {
        return Client.builder().transport(transport).scheduler(time).clock(time.clock());
    }

    private ReconnectingSession permanent(Client built, Reconnect options) {
        client = built;
        CompletableFuture<ReconnectingSession> connecting = client.connectAsync(options);
        transport.acceptLast();
        assertThat(connecting).isCompleted();
        return connecting.join();
    }

    private ScriptedTransport.Link link() {
        return (ScriptedTransport.Link) transport.lastConnect().join();
    }

    private static ExecutionResult data(Map<String, Object> data) {
        return ScriptedTransport.data(data);
    }

    private final ClientEventListener recorder = new ClientEventListener() {
        @Override
        public void callStarted(CallStarted event) {
            events.add(event);
        }

        @Override
        public void callFinished(CallFinished event) {
            events.add(event);
        }

        @Override
        public void retryScheduled(RetryScheduled event) {
            events.add(event);
        }

        @Override
        public void connectFailed(ConnectFailed event) {
            events.add(event);
        }

        @Override
        public void stateChanged(StateChanged event) {
            events.add(event);
        }

        @Override
        public void subscriptionStarted(SubscriptionStarted event) {
            events.add(event);
        }

        @Override
        public void subscriptionEnded(SubscriptionEnded event) {
            events.add(event);
        }
    };

    private <T> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    // ---- interceptors -----------------------------------------------------------------------------

    @Test
    void interceptorsRunInOrderOncePerCallAndAttemptInterceptorsOncePerAttempt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        GraphQLInterceptor first = (call, chain) -> {
            seen.add("first");
            return chain.proceed(call.withHeader("X-First", "1"));
        };
        GraphQLInterceptor second = (call, chain) -> {
            seen.add("second:" + call.options().headers().get("X-First"));
            return chain.proceed(call.withRequest(call.request().withVariables(Map.of("from", "second"))));
        };
        GraphQLInterceptor perAttempt = (call, chain) -> {
            seen.add("attempt");
            return chain.proceed(call);
        };
        ReconnectingSession session = permanent(builder().interceptor(first).interceptor(second)
                .attemptInterceptor(perAttempt).build(), Reconnect.defaults());

        CompletableFuture<Map<String, Object>> call = session.execute(QUERY);
        link().last().answer().completeExceptionally(new TransportServerException("503", 503, "", null, Map.of()));
        time.advance(time.nextDelay().orElseThrow());
        link().last().answer().complete(data(Map.of("ok", true)));

        assertThat(call).isCompletedWithValue(Map.of("ok", true));
        assertThat(seen).containsExactly("first", "second:1", "attempt", "attempt");
        assertThat(link().exchanges).allSatisfy(exchange -> {
            assertThat(exchange.call().options().headers()).containsEntry("X-First", "1");
            assertThat(exchange.request().variables()).containsEntry("from", "second");
        });
    }

    @Test
    void anInterceptorCanAnswerByItselfAndItsExceptionFailsOnlyItsCall() {
        GraphQLInterceptor cache = (call, chain) -> call.request().selectedOperationName().orElse("").equals("Cached")
                ? CompletableFuture.completedFuture(data(Map.of("cached", true))) : chain.proceed(call);
        GraphQLInterceptor broken = (call, chain) -> {
            if (call.request().selectedOperationName().orElse("").equals("Broken")) {
                throw new IllegalStateException("interceptor bug");
            }
            return chain.proceed(call);
        };
        ReconnectingSession session = permanent(builder().interceptor(cache).interceptor(broken).build(),
                Reconnect.defaults());

        assertThat(session.execute(gql("query Cached { a }"))).isCompletedWithValue(Map.of("cached", true));
        CompletableFuture<Map<String, Object>> failed = session.execute(gql("query Broken { a }"));
        assertThat(failed).isCompletedExceptionally();
        assertThatThrownBy(failed::join).cause().isInstanceOf(JgqlException.class).hasMessageContaining("interceptor bug");
        assertThat(link().exchanges).as("neither reached the transport").isEmpty();
        time.advance(Duration.ofMinutes(1));
        assertThat(link().exchanges).as("a local failure is never retried").isEmpty();
    }

    @Test
    void interceptorsSeeSubscriptions() {
        List<String> seen = new CopyOnWriteArrayList<>();
        GraphQLInterceptor watching = new GraphQLInterceptor() {
            @Override
            public CompletableFuture<ExecutionResult> intercept(GraphQLCall call, Chain chain) {
                return chain.proceed(call);
            }

            @Override
            public Flow.Publisher<ExecutionResult> interceptSubscription(GraphQLCall call, SubscriptionChain chain) {
                seen.add(call.request().selectedOperationName().orElse(""));
                return chain.proceed(call.withRequest(call.request().withVariables(Map.of("seen", true))));
            }
        };
        ReconnectingSession session = permanent(builder().interceptor(watching).build(), Reconnect.defaults());
        RecordingSubscriber<Map<String, Object>> subscriber = new RecordingSubscriber<>(Long.MAX_VALUE);
        session.subscribe(SUBSCRIPTION).subscribe(subscriber);

        assertThat(seen).containsExactly("Countdown");
        assertThat(link().subscribed).singleElement().satisfies(request ->
                assertThat(request.variables()).containsEntry("seen", true));
    }

    // ---- events -----------------------------------------------------------------------------------

    @Test
    void theListenerHearsCallsRetriesAndOutcomes() {
        ReconnectingSession session = permanent(builder().eventListener(recorder).build(), Reconnect.defaults());
        CompletableFuture<Map<String, Object>> ok = session.execute(QUERY);
        TransportServerException busy = new TransportServerException("503", 503, "", null, Map.of());
        link().last().answer().completeExceptionally(busy);
        time.advance(time.nextDelay().orElseThrow());
        link().last().answer().complete(data(Map.of("ok", true)));
        CompletableFuture<Map<String, Object>> errors = session.execute(QUERY);
        link().last().answer().complete(ExecutionResult.builder()
                .errors(List.of(new GraphQLError("nope", null, null, null))).build());

        assertThat(ok).isCompleted();
        assertThat(errors).isCompletedExceptionally();
        List<ClientEventListener.CallStarted> started = eventsOf(ClientEventListener.CallStarted.class);
        List<ClientEventListener.CallFinished> finished = eventsOf(ClientEventListener.CallFinished.class);
        assertThat(started).hasSize(2).allSatisfy(event -> assertThat(event.operationName()).isEqualTo("Continent"));
        assertThat(finished).hasSize(2);
        assertThat(finished.get(0).outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(finished.get(0).attempts()).isEqualTo(2);
        assertThat(finished.get(0).callId()).isEqualTo(started.get(0).callId());
        assertThat(finished.get(1).outcome()).isEqualTo(Outcome.GRAPHQL_ERRORS);
        assertThat(finished.get(1).attempts()).isEqualTo(1);
        assertThat(eventsOf(ClientEventListener.RetryScheduled.class)).singleElement().satisfies(retry -> {
            assertThat(retry.attempt()).isEqualTo(1);
            assertThat(retry.cause()).isSameAs(busy);
            assertThat(retry.delay()).isPositive();
        });
    }

    @Test
    void theListenerHearsFailedConnectsAndStateChangesPerLinkAndForTheSession() {
        client = builder().eventListener(recorder).build();
        client.connectAsync(Reconnect.defaults());
        TransportConnectionFailedException refused = new TransportConnectionFailedException("refused", false, null);
        transport.lastConnect().completeExceptionally(refused);
        time.advance(time.nextDelay().orElseThrow());
        transport.acceptLast();
        link().breakWith(new TransportConnectionFailedException("dropped", true, null));
        transport.acceptLast();

        assertThat(eventsOf(ClientEventListener.ConnectFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.link()).isEqualTo("main");
            assertThat(failed.attempt()).isEqualTo(1);
            assertThat(failed.cause()).isSameAs(refused);
            assertThat(failed.nextDelay()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        });
        assertThat(eventsOf(ClientEventListener.StateChanged.class)).extracting(
                        event -> event.link() + ":" + event.from() + "->" + event.to())
                .containsExactly("main:CONNECTING->CONNECTED", "session:CONNECTING->CONNECTED",
                        "main:CONNECTED->RECONNECTING", "session:CONNECTED->RECONNECTING",
                        "main:RECONNECTING->CONNECTED", "session:RECONNECTING->CONNECTED");
    }

    @Test
    void theListenerHearsSubscriptionsStartAndEnd() {
        ReconnectingSession session = permanent(builder().eventListener(recorder).build(), Reconnect.defaults());
        RecordingSubscriber<Map<String, Object>> subscriber = new RecordingSubscriber<>(Long.MAX_VALUE);
        session.subscribe(SUBSCRIPTION).subscribe(subscriber);
        link().streams.get(0).submit(data(Map.of("countdown", 3)));
        link().streams.get(0).submit(data(Map.of("countdown", 2)));
        link().streams.get(0).close();

        assertThat(subscriber.isCompleted()).isTrue();
        assertThat(eventsOf(ClientEventListener.SubscriptionStarted.class)).singleElement()
                .satisfies(started -> assertThat(started.operationName()).isEqualTo("Countdown"));
        assertThat(eventsOf(ClientEventListener.SubscriptionEnded.class)).singleElement().satisfies(ended -> {
            assertThat(ended.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(ended.events()).isEqualTo(2);
        });
    }

    @Test
    void aListenerThatThrowsNeverBreaksACall() {
        ClientEventListener throwing = new ClientEventListener() {
            @Override
            public void callStarted(CallStarted event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void callFinished(CallFinished event) {
                throw new IllegalStateException("listener bug");
            }
        };
        ReconnectingSession session = permanent(builder().eventListener(throwing).build(), Reconnect.defaults());
        CompletableFuture<Map<String, Object>> call = session.execute(QUERY);
        link().last().answer().complete(data(Map.of("ok", true)));

        assertThat(call).isCompletedWithValue(Map.of("ok", true));
    }

    // ---- options, usage -----------------------------------------------------------------------------

    @Test
    void clientDefaultOptionsApplyAndACallsOwnOverrideThem() {
        ReconnectingSession session = permanent(builder()
                .defaultCallOptions(CallOptions.builder().header("X-App", "jgql").header("X-Tenant", "a").build())
                .build(), Reconnect.defaults());

        session.execute(QUERY, CallOptions.builder().header("X-Tenant", "b").build());

        assertThat(link().last().call().options().headers()).containsEntry("X-App", "jgql").containsEntry("X-Tenant", "b");
    }

    @Test
    void misuseIsAJgqlUsageExceptionThatSaysWhatToDo() {
        client = builder().build();
        assertThatThrownBy(client::session).isInstanceOf(JgqlUsageException.class).hasMessageContaining("connectAsync");
        ReconnectingSession session = permanent(client, Reconnect.defaults());
        assertThatThrownBy(() -> session.execute(SUBSCRIPTION)).isInstanceOf(JgqlUsageException.class)
                .hasMessageContaining("use subscribe");
        assertThatThrownBy(() -> client.connectAsync(Reconnect.defaults())).isInstanceOf(JgqlUsageException.class);
    }

    @Test
    void theBlockingViewOfThePermanentSessionCannotCloseIt() {
        ReconnectingSession session = permanent(builder().build(), Reconnect.defaults());
        try (Session view = session.blocking()) {
            assertThat(view.async()).isSameAs(session);
        }

        assertThat(session.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(client.session()).isSameAs(session);
    }

    @Test
    void whenConnectedCompletesNowOrAtTheNextConnection() {
        ReconnectingSession session = permanent(builder().build(), Reconnect.defaults());
        assertThat(session.whenConnected()).isCompletedWithValue(session);

        link().breakWith(new TransportConnectionFailedException("dropped", true, null));
        CompletableFuture<ReconnectingSession> again = session.whenConnected();
        assertThat(again).isNotDone();
        assertThat(session.links()).singleElement().satisfies(link -> {
            assertThat(link.name()).isEqualTo("main");
            assertThat(link.state()).isEqualTo(ConnectionState.RECONNECTING);
        });
        transport.acceptLast();

        assertThat(again).isCompletedWithValue(session);
    }
}
