package dev.jgql.transport.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgql.ExecutionResult;
import dev.jgql.GraphQLError;
import dev.jgql.TransportProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The merge, fed the transcripts of real servers (protocols/incremental-delivery.md). */
class IncrementalMergeTest {
    private static final ObjectMapper MAPPER = GraphQLJson.defaultMapper();
    private static final Map<String, Object> FINAL = Map.of("hello", "world", "list", List.of(0, 1, 2), "slow", "slow");

    private static ExecutionResult feed(IncrementalMerge merge, String... payloads) {
        ExecutionResult last = null;
        for (String payload : payloads) {
            last = merge.apply(GraphQLJson.readObject(MAPPER, payload, "test payload"), () -> "test payload");
        }
        return last;
    }

    @Test
    void yogaDeferSpec20220824() {
        IncrementalMerge merge = new IncrementalMerge();
        ExecutionResult first = feed(merge, "{\"data\":{\"hello\":\"world\",\"list\":[0]},\"hasNext\":true}");
        assertThat(first.data()).isEqualTo(Map.of("hello", "world", "list", List.of(0)));
        assertThat(merge.isFinished()).isFalse();
        ExecutionResult last = feed(merge,
                "{\"incremental\":[{\"items\":[1],\"path\":[\"list\",1]}],\"hasNext\":true}",
                "{\"incremental\":[{\"items\":[2],\"path\":[\"list\",2]}],\"hasNext\":true}",
                "{\"incremental\":[{\"data\":{\"slow\":\"slow\"},\"path\":[],\"label\":\"D\"}],\"hasNext\":false}");
        assertThat(last.data()).isEqualTo(FINAL);
        assertThat(merge.isFinished()).isTrue();
        assertThat(first.data()).as("an earlier snapshot does not change")
                .isEqualTo(Map.of("hello", "world", "list", List.of(0)));
    }

    @Test
    void apolloIncrementalSpecV02() {
        IncrementalMerge merge = new IncrementalMerge();
        ExecutionResult last = feed(merge,
                "{\"data\":{\"hello\":\"world\",\"list\":[0]},\"pending\":[{\"id\":\"0\",\"path\":[\"list\"]},"
                        + "{\"id\":\"1\",\"path\":[],\"label\":\"D\"}],\"hasNext\":true}",
                "{\"hasNext\":true,\"incremental\":[{\"id\":\"0\",\"items\":[1]}]}",
                "{\"hasNext\":true,\"incremental\":[{\"id\":\"0\",\"items\":[2]}]}",
                "{\"hasNext\":true,\"completed\":[{\"id\":\"0\"}]}",
                "{\"hasNext\":false,\"incremental\":[{\"data\":{\"slow\":\"slow\"},\"id\":\"1\"}],\"completed\":[{\"id\":\"1\"}]}");
        assertThat(last.data()).isEqualTo(FINAL);
        assertThat(last.errors()).isEmpty();
        assertThat(merge.isFinished()).isTrue();
    }

    @Test
    void subPathAndFailedFragmentsInThePendingForm() {
        IncrementalMerge merge = new IncrementalMerge();
        ExecutionResult last = feed(merge,
                "{\"data\":{\"a\":{\"b\":{\"c\":1}}},\"pending\":[{\"id\":\"x\",\"path\":[\"a\"]},{\"id\":\"y\",\"path\":[\"a\"]}],"
                        + "\"hasNext\":true}",
                "{\"hasNext\":false,\"incremental\":[{\"id\":\"x\",\"subPath\":[\"b\"],\"data\":{\"d\":2}}],"
                        + "\"completed\":[{\"id\":\"x\"},{\"id\":\"y\",\"errors\":[{\"message\":\"boom\",\"path\":[\"a\",\"e\"]}]}]}");
        assertThat(last.data()).isEqualTo(Map.of("a", Map.of("b", Map.of("c", 1, "d", 2))));
        assertThat(last.errors()).extracting(GraphQLError::message).containsExactly("boom");
    }

    @Test
    void theEarlyFlatFormAndAPlainResult() {
        IncrementalMerge early = new IncrementalMerge();
        ExecutionResult last = feed(early, "{\"data\":{\"a\":{}},\"hasNext\":true}",
                "{\"data\":{\"x\":1},\"path\":[\"a\"],\"hasNext\":false}");
        assertThat(last.data()).isEqualTo(Map.of("a", Map.of("x", 1)));

        IncrementalMerge plain = new IncrementalMerge();
        assertThat(feed(plain, "{\"data\":{\"n\":1}}").data()).isEqualTo(Map.of("n", 1));
        assertThat(plain.isFinished()).as("no hasNext: a single result").isTrue();
    }

    @Test
    void errorsAccumulateAndNulledBranchesGetNothing() {
        IncrementalMerge merge = new IncrementalMerge();
        ExecutionResult last = feed(merge, "{\"data\":{\"a\":null},\"errors\":[{\"message\":\"first\"}],\"hasNext\":true}",
                "{\"incremental\":[{\"data\":{\"x\":1},\"path\":[\"a\"],\"errors\":[{\"message\":\"second\"}]}],"
                        + "\"hasNext\":false}");
        assertThat(last.data()).containsEntry("a", null);
        assertThat(last.errors()).extracting(GraphQLError::message).containsExactly("first", "second");
    }

    @Test
    void refusesEntriesForUnknownIdsAndMalformedShapes() {
        IncrementalMerge merge = new IncrementalMerge();
        feed(merge, "{\"data\":{},\"hasNext\":true}");
        assertThatThrownBy(() -> feed(merge, "{\"incremental\":[{\"id\":\"9\",\"items\":[1]}],\"hasNext\":false}"))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("id 9");
        assertThatThrownBy(() -> feed(merge, "{\"incremental\":{\"not\":\"a list\"},\"hasNext\":false}"))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("not a list");
        assertThatThrownBy(() -> feed(new IncrementalMerge(), "{\"hasNext\":true}"))
                .isInstanceOf(TransportProtocolException.class).hasMessageContaining("neither 'data' nor 'errors'");
    }
}
