package dev.jgql.countries;

import java.util.HashMap;
import java.util.Map;

/**
 * The counter behind {@code Mutation.increment}, with a record of how often each request id was applied.
 *
 * <p>Repeated request ids are applied again on purpose: the backend must not hide a client that
 * re-sends a mutation, so tests can see it in {@link #timesApplied(String)}.
 */
final class MutationLedger {

  private long counter;
  private final Map<String, Integer> appliedRequestIds = new HashMap<>();

  // Synchronised so that a test thread never sees the counter moved without its request id counted.
  synchronized long increment(int by, String requestId) {
    counter += by;
    if (requestId != null) {
      appliedRequestIds.merge(requestId, 1, Integer::sum);
    }
    return counter;
  }

  synchronized long counter() {
    return counter;
  }

  synchronized Map<String, Integer> appliedRequestIds() {
    return Map.copyOf(appliedRequestIds);
  }

  synchronized int timesApplied(String requestId) {
    return appliedRequestIds.getOrDefault(requestId, 0);
  }
}
