package dev.jgql.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgql.BlockingSubscription;
import dev.jgql.examples.TestSupport.Backend;
import dev.jgql.examples.TestSupport.Link;
import dev.jgql.examples.graphql.ContinentSummary;
import dev.jgql.examples.graphql.CountdownSubscription;
import dev.jgql.examples.graphql.GetContinentQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The typed variant of the console's client, on classes jgql-maven-plugin generated during this build. */
@Timeout(60)
class TypedContinentClientTest {
    private Backend backend;
    private TypedContinentClient continents;

    @AfterEach
    void tearDown() {
        if (continents != null) {
            continents.close();
        }
        if (backend != null) {
            backend.close();
        }
        TestSupport.awaitNoJgqlThreads();
    }

    private void connect(Link link) {
        backend = Backend.running();
        continents = new TypedContinentClient(link.transport(backend.port()));
        continents.connect();
    }

    @ParameterizedTest
    @EnumSource(Link.class)
    void typedQueriesReturnRecords(Link link) {
        connect(link);
        assertThat(continents.getContinentName("EU")).isEqualTo("Europe");
        GetContinentQuery.Data.Continent oceania = continents.continent("OC").orElseThrow();
        ContinentSummary summary = oceania;
        assertThat(summary.code()).isEqualTo("OC");
        assertThat(oceania.countries()).hasSize(27);
        assertThat(continents.capitals("OC")).contains("Canberra", "Wellington");
        assertThat(continents.continent("XX")).isEmpty();
        assertThatThrownBy(() -> continents.getContinentName("XX"))
                .isInstanceOf(IllegalStateException.class).hasMessage("No continent with code XX");
    }

    @Test
    void unionResultsAreRecordsOfASealedInterface() {
        connect(Link.HTTP);
        assertThat(continents.search("an"))
                .contains("continent Antarctica (AN)", "country France \uD83C\uDDEB\uD83C\uDDF7")
                .anyMatch(line -> line.equals("language"));
    }

    @Test
    void typedSubscriptionGivesTypedEvents() {
        connect(Link.WS);
        List<Integer> counted = new ArrayList<>();
        try (BlockingSubscription<CountdownSubscription.Data> events = BlockingSubscription.of(continents.countdown(3))) {
            for (int i = 0; i < 4; i++) {
                counted.add(events.poll(Duration.ofSeconds(10)).orElseThrow().countdown());
            }
        }
        assertThat(counted).containsExactly(3, 2, 1, 0);
    }

    @Test
    void callsBeforeConnectAreRefused() {
        backend = Backend.running();
        continents = new TypedContinentClient(Link.HTTP.transport(backend.port()));
        assertThatThrownBy(() -> continents.getContinentName("EU"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connect()");
    }
}
