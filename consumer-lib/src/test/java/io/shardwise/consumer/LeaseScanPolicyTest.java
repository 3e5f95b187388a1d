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
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false))
                .as("the first round scans").isTrue();
        policy.scanned(clock.get(), workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, false);
    }

    @Test
    void aSteadyWorkerThatIsNotTheSyncerNeverScans() {
        for (int round = 0; round < 1000; round++) {
            clock.addAndGet(Duration.ofMillis(583).toNanos());
            assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false))
                    .as("round %d", round).isFalse();
        }
    }

    @Test
    void aWorkerTrailingABusierOneByTheLoadGapScansAtTheSafetyInterval() {
        Map<String, WorkerStore.WorkerItem> items = Map.of(
                "a", new WorkerStore.WorkerItem(1, 2, 1_000, Map.of(), Set.of()),
                "b", new WorkerStore.WorkerItem(1, 2, 1_000 + LeaseBalancer.MIN_LOAD_GAP, Map.of(), Set.of()));
        clock.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(policy.scanDue(new WorkerStore.Workers(items, 0), Set.of("a", "b"), 2, 1_000, false, false))
                .isFalse();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(policy.scanDue(new WorkerStore.Workers(items, 0), Set.of("a", "b"), 2, 1_000, false, false))
                .isTrue();
        assertThat(policy.scanDue(new WorkerStore.Workers(items, 0), Set.of("a", "b"), 2, 2_000, false, false))
                .as("a gap below the balancer's minimum").isFalse();
    }

    @Test
    void theSyncerScansAtTheSafetyInterval() {
        for (int round = 0; round < 60; round++) {
            clock.addAndGet(Duration.ofMillis(583).toNanos());
            boolean due = policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, true, false);
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
        assertThat(policy.scanDue(workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false)).isTrue();
    }

    @Test
    void aChangeMadeHereIsLookedAtOnceMore() {
        policy.scanned(clock.get(), workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, true);
        assertThat(policy.scanDue(workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false)).isTrue();
        policy.scanned(clock.get(), workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, false);
        assertThat(policy.scanDue(workers(1, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false)).isFalse();
    }

    @Test
    void aWorkerJoiningLeavingOrExpiringCallsForAScan() {
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2, "c", 0)), Set.of("a", "b", "c"), 2, 0, false, false))
                .as("joined").isTrue();
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a"), 2, 0, false, false))
                .as("b expired (its item stays)").isTrue();
    }

    @Test
    void unevenCountsCallForAScanOnlyWhenTheyChanged() {
        policy.scanned(clock.get(), workers(0, Map.of("a", 0, "b", 4)), Set.of("a", "b"), false, false);
        assertThat(policy.scanDue(workers(0, Map.of("a", 0, "b", 4)), Set.of("a", "b"), 0, 0, false, false))
                .as("nothing moved since the scan that could not even them").isFalse();
        assertThat(policy.scanDue(workers(0, Map.of("a", 1, "b", 3)), Set.of("a", "b"), 1, 0, false, false))
                .as("a handoff landed and b still holds two more: look for the next one").isTrue();
        policy.scanned(clock.get(), workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), false, false);
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 3)), Set.of("a", "b"), 2, 0, false, false))
                .as("counts changed but are even within one").isFalse();
    }

    @Test
    void ownersWithoutLivenessItemsAreWatchedEveryRound() {
        policy.scanned(clock.get(), workers(0, Map.of("a", 2)), Set.of("a"), true, false);
        assertThat(policy.scanDue(workers(0, Map.of("a", 2)), Set.of("a"), 2, 0, false, false)).isTrue();
    }

    @Test
    void aRequestOrADueSyncCallsForAScan() {
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, true)).isTrue();
        policy.requestScan();
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false)).isTrue();
        assertThat(policy.scanDue(workers(0, Map.of("a", 2, "b", 2)), Set.of("a", "b"), 2, 0, false, false))
                .as("a request is used once").isFalse();
    }

    private static WorkerStore.Workers workers(long changes, Map<String, Integer> counts) {
        Map<String, WorkerStore.WorkerItem> items = new HashMap<>();
        counts.forEach((worker, count) -> items.put(worker,
                new WorkerStore.WorkerItem(1, count, 0, Map.of(), Set.of())));
        return new WorkerStore.Workers(items, changes);
    }
}
