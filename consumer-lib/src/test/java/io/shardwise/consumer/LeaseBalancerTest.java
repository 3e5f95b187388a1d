package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LeaseBalancerTest {

    private static Lease lease(String key, String owner, String handoffTo) {
        return new Lease(key, owner, 1, Checkpoint.TRIM_HORIZON, null, null, 0, Set.of(), Set.of(), null, null,
                handoffTo);
    }

    /**
     * Simulates rounds of every worker (takes succeed, a handoff request is answered at once) from
     * any start: the fleet ends balanced within one lease and then stays still.
     */
    @Property(tries = 200)
    void roundsConvergeToAnEvenSpreadAndThenStopMoving(@ForAll @IntRange(min = 1, max = 40) int leaseCount,
                                                       @ForAll @IntRange(min = 1, max = 7) int workerCount,
                                                       @ForAll @IntRange(min = 0, max = 6) int initialOwner) {
        List<String> workers = new ArrayList<>();
        for (int w = 0; w < workerCount; w++) {
            workers.add("w" + w);
        }
        Map<String, String> owners = new HashMap<>();
        for (int i = 0; i < leaseCount; i++) {
            // Everything starts on one worker (a worker that started first), or free.
            owners.put("s" + i, initialOwner < workerCount ? workers.get(initialOwner) : null);
        }
        Set<String> live = new LinkedHashSet<>(workers);
        int moves = 0;
        boolean changed = true;
        int rounds = 0;
        while (changed && rounds++ < 500) {
            changed = false;
            for (String me : workers) {
                List<Lease> active = new ArrayList<>();
                owners.forEach((k, o) -> active.add(lease(k, o, null)));
                LeaseBalancer.Plan plan = LeaseBalancer.plan(me, active, live, l -> l.owner() == null,
                        l -> true, 1);
                for (Lease t : plan.takes()) {
                    owners.put(t.leaseKey(), me);
                    changed = true;
                }
                for (Lease r : plan.handoffRequests()) {
                    owners.put(r.leaseKey(), me);
                    moves++;
                    changed = true;
                }
            }
        }
        assertThat(rounds).isLessThan(500);
        Map<String, Integer> counts = new HashMap<>();
        workers.forEach(w -> counts.put(w, 0));
        owners.values().forEach(o -> counts.merge(o, 1, Integer::sum));
        assertThat(owners.values()).doesNotContainNull();
        int min = counts.values().stream().min(Integer::compare).orElseThrow();
        int max = counts.values().stream().max(Integer::compare).orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        // No churn: each moved lease moved once at most.
        assertThat(moves).isLessThanOrEqualTo(leaseCount);
    }

    @Test
    void aBalancedFleetWithinOneLeaseDoesNothing() {
        List<Lease> active = List.of(lease("a", "w1", null), lease("b", "w1", null), lease("c", "w2", null));
        LeaseBalancer.Plan plan = LeaseBalancer.plan("w2", active, Set.of("w1", "w2"), l -> false, l -> true, 1);
        assertThat(plan.takes()).isEmpty();
        assertThat(plan.handoffRequests()).isEmpty();
    }

    @Test
    void asksOnlyOneLeaseAtATimeAndNotWhileARequestIsPending() {
        List<Lease> active = List.of(lease("a", "w1", null), lease("b", "w1", null), lease("c", "w1", null),
                lease("d", "w1", null));
        LeaseBalancer.Plan plan = LeaseBalancer.plan("w2", active, Set.of("w1", "w2"), l -> false, l -> true, 1);
        assertThat(plan.handoffRequests()).hasSize(1);

        List<Lease> pending = List.of(lease("a", "w1", "w2"), lease("b", "w1", null), lease("c", "w1", null),
                lease("d", "w1", null));
        assertThat(LeaseBalancer.plan("w2", pending, Set.of("w1", "w2"), l -> false, l -> true, 1)
                .handoffRequests()).isEmpty();
    }

    @Test
    void neverAsksAWorkerThatCannotHandOverOrIsNotAlive() {
        List<Lease> active = List.of(lease("a", "kcl", null), lease("b", "kcl", null));
        assertThat(LeaseBalancer.plan("w2", active, Set.of("kcl", "w2"), l -> false, l -> false, 1)
                .handoffRequests()).isEmpty();
        assertThat(LeaseBalancer.plan("w2", active, Set.of("w2"), l -> false, l -> true, 1)
                .handoffRequests()).isEmpty();
    }

    /**
     * Up to one hot shard per worker, the rest cold (with noise), any start: rounds (handoffs answered
     * at once) converge, counts stay even within one, and no worker ends with two hot shards.
     */
    @Property(tries = 300)
    void hotShardsEndOnDifferentWorkersWithCountsStillEven(
            @ForAll @IntRange(min = 1, max = 24) int leaseCount, @ForAll @IntRange(min = 1, max = 6) int workerCount,
            @ForAll @IntRange(min = 0, max = 6) int hotCount, @ForAll @IntRange(min = 0, max = 6) int initialOwner,
            @ForAll long noiseSeed) {
        int hot = Math.min(hotCount, Math.min(workerCount, leaseCount));
        java.util.Random noise = new java.util.Random(noiseSeed);
        List<String> workers = new ArrayList<>();
        for (int w = 0; w < workerCount; w++) {
            workers.add("w" + w);
        }
        Map<String, String> owners = new HashMap<>();
        Map<String, Long> rates = new HashMap<>();
        for (int i = 0; i < leaseCount; i++) {
            owners.put("s" + i, initialOwner < workerCount ? workers.get(initialOwner) : workers.get(i % workerCount));
            rates.put("s" + i, i < hot ? 1_000_000L + noise.nextInt(50_000) : noise.nextInt(2_000));
        }
        Set<String> live = new LinkedHashSet<>(workers);
        int rounds = 0;
        boolean changed = true;
        while (changed && rounds++ < 500) {
            changed = false;
            for (String me : workers) {
                List<Lease> active = new ArrayList<>();
                owners.forEach((k, o) -> active.add(lease(k, o, null)));
                LeaseBalancer.Plan plan = LeaseBalancer.plan(me, active, live, l -> l.owner() == null, l -> true,
                        l -> rates.get(l.leaseKey()), 1);
                for (Lease r : plan.handoffRequests()) {
                    owners.put(r.leaseKey(), me);
                    changed = true;
                }
            }
        }
        assertThat(rounds).isLessThan(500);
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Integer> hotHeld = new HashMap<>();
        workers.forEach(w -> counts.put(w, 0));
        owners.forEach((k, o) -> {
            counts.merge(o, 1, Integer::sum);
            if (rates.get(k) >= 1_000_000L) {
                hotHeld.merge(o, 1, Integer::sum);
            }
        });
        int min = counts.values().stream().min(Integer::compare).orElseThrow();
        int max = counts.values().stream().max(Integer::compare).orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
        assertThat(hotHeld.values()).allMatch(n -> n == 1);
    }

    @Test
    void withEvenCountsAnIdleWorkerAsksForOneOfTwoHotLeasesOfABusyOne() {
        List<Lease> active = List.of(lease("h1", "w1", null), lease("h2", "w1", null), lease("c1", "w2", null),
                lease("c2", "w2", null));
        Map<String, Long> rates = Map.of("h1", 900_000L, "h2", 1_000_000L, "c1", 10L, "c2", 20L);
        LeaseBalancer.Plan plan = LeaseBalancer.plan("w2", active, Set.of("w1", "w2"), l -> false, l -> true,
                l -> rates.get(l.leaseKey()), 1);
        assertThat(plan.handoffRequests()).extracting(Lease::leaseKey).singleElement().isIn("h1", "h2");
        // The busy worker, now one lease short, asks back for a cold one, not the hot one it gave away.
        List<Lease> after = List.of(lease("h1", "w1", null), lease("h2", "w2", null), lease("c1", "w2", null),
                lease("c2", "w2", null));
        assertThat(LeaseBalancer.plan("w1", after, Set.of("w1", "w2"), l -> false, l -> true,
                l -> rates.get(l.leaseKey()), 1).handoffRequests()).extracting(Lease::leaseKey).singleElement()
                .isIn("c1", "c2");
        // Balanced by count and by load: nobody moves.
        List<Lease> settled = List.of(lease("h1", "w1", null), lease("c1", "w1", null), lease("h2", "w2", null),
                lease("c2", "w2", null));
        for (String me : List.of("w1", "w2")) {
            assertThat(LeaseBalancer.plan(me, settled, Set.of("w1", "w2"), l -> false, l -> true,
                    l -> rates.get(l.leaseKey()), 1).handoffRequests()).isEmpty();
        }
    }

    @Test
    void loadGapsBelowTheNoiseFloorMoveNothing() {
        List<Lease> active = List.of(lease("a", "w1", null), lease("b", "w1", null), lease("c", "w2", null),
                lease("d", "w2", null));
        Map<String, Long> rates = Map.of("a", 7_000L, "b", 7_000L, "c", 0L, "d", 0L);
        assertThat(LeaseBalancer.plan("w2", active, Set.of("w1", "w2"), l -> false, l -> true,
                l -> rates.get(l.leaseKey()), 1).handoffRequests()).isEmpty();
    }
}
