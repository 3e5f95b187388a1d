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
}
