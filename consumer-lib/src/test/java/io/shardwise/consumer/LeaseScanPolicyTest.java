package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaseScanPolicyTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private LeaseScanPolicy policy;

    @BeforeEach
    void firstScan() {
        policy = new LeaseScanPolicy("a", Duration.ofSeconds(30), clock::get);
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false))
                .as("the first round scans").isTrue();
        policy.scanned(clock.get(), workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, false);
    }

    @Test
    void aSteadyFleetScansOnlyAtTheSafetyInterval() {
        for (int round = 0; round < 60; round++) {
            clock.addAndGet(Duration.ofMillis(583).toNanos());
            boolean due = policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false);
            assertThat(due).as("round %d at %d ms", round, (clock.get() - 1_000) / 1_000_000)
                    .isEqualTo(clock.get() - 1_000 >= Duration.ofSeconds(30).toNanos());
            if (due) {
                return;
            }
        }
        throw new AssertionError("the safety interval never came");
    }

    @Test
    void aLeaseChangeAnywhereCallsForAScan() {
        assertThat(policy.scanDue(workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false)).isTrue();
    }

    @Test
    void aChangeMadeHereIsLookedAtOnceMore() {
        policy.scanned(clock.get(), workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, true);
        assertThat(policy.scanDue(workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false)).isTrue();
        policy.scanned(clock.get(), workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, false);
        assertThat(policy.scanDue(workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false)).isFalse();
    }

    @Test
    void aWorkerJoiningLeavingOrExpiringCallsForAScan() {
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2, "c", 0)), Set.of("a", "b", "c"), 2, false))
                .as("joined").isTrue();
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a"), 2, false))
                .as("b expired (its item stays)").isTrue();
    }

    @Test
    void unevenCountsCallForAScanOnlyWhenTheyChanged() {
        policy.scanned(clock.get(), workers(0, Map.of("a", 0, "b", 4)), Set.of("a", "b"), false, false);
        assertThat(policy.scanDue(workers(0, Map.of("a", 0, "b", 4)), Set.of("a", "b"), 0, false))
                .as("nothing moved since the scan that could not even them").isFalse();
        assertThat(policy.scanDue(workers(0, Map.of("a", 1, "b", 3)), Set.of("a", "b"), 1, false))
                .as("a handoff landed and b still holds two more: look for the next one").isTrue();
        policy.scanned(clock.get(), workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, false);
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 3)), Set.of("a", "b"), 2, false))
                .as("counts changed but are even within one").isFalse();
    }

    @Test
    void ownersWithoutLivenessItemsAreWatchedEveryRound() {
        policy.scanned(clock.get(), workers(0, Map.of("a", 2)), Set.of("a"), true, false);
        assertThat(policy.scanDue(workers(0, Map.of("a", 2)), Set.of("a"), 2, false)).isTrue();
    }

    @Test
    void aRequestOrADueSyncCallsForAScan() {
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, true)).isTrue();
        policy.requestScan();
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false)).isTrue();
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, false))
                .as("a request is used once").isFalse();
    }

    private static WorkerStore.Workers workers(long changes, Map<String, Integer> counts) {
        Map<String, WorkerStore.WorkerItem> items = new HashMap<>();
        counts.forEach((worker, count) -> items.put(worker,
                new WorkerStore.WorkerItem(1, count, 0, Map.of(), Set.of())));
        return new WorkerStore.Workers(items, changes);
    }
}
