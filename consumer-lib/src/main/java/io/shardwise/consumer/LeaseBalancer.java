package io.shardwise.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides, for one round, which leases this worker takes and which it asks another worker to hand
 * over. Even by lease count with a hysteresis of one: free or expired leases are taken up to
 * ceil(N/W) (N leases, W live workers); when none is free, a worker below ceil(N/W) asks a worker
 * holding at least two more leases than itself for at most {@code maxStealsPerRound} of them (a
 * graceful handoff, not a hard steal). Each such move lowers the sum of squared lease counts, so
 * rounds converge, and they stop once no two workers differ by more than one lease.
 */
final class LeaseBalancer {

    record Plan(List<Lease> takes, List<Lease> handoffRequests) {
    }

    private LeaseBalancer() {
    }

    /**
     * @param active       unfinished leases whose parents are done (the ones that can be worked on)
     * @param liveWorkers  workers considered alive, including {@code me}
     * @param available    free leases and leases of expired owners
     * @param canHandOff   leases whose owner is a Shardwise worker that answers handoff requests
     */
    static Plan plan(String me, List<Lease> active, Set<String> liveWorkers, Predicate<Lease> available,
                     Predicate<Lease> canHandOff, int maxStealsPerRound) {
        int leases = active.size();
        int workers = Math.max(1, liveWorkers.size());
        int ceil = (leases + workers - 1) / workers;

        Map<String, List<Lease>> held = new HashMap<>();
        List<Lease> free = new ArrayList<>();
        for (Lease lease : active) {
            if (available.test(lease)) {
                free.add(lease);
            } else {
                held.computeIfAbsent(lease.owner(), o -> new ArrayList<>()).add(lease);
            }
        }
        int mine = held.getOrDefault(me, List.of()).size();

        // Workers start at different points of the free list so concurrent takers rarely collide.
        Collections.shuffle(free);
        List<Lease> takes = new ArrayList<>();
        for (Lease lease : free) {
            if (mine + takes.size() >= ceil) {
                break;
            }
            takes.add(lease);
        }
        if (!takes.isEmpty() || mine >= ceil) {
            return new Plan(takes, List.of());
        }

        boolean handoffPending = active.stream().anyMatch(l -> me.equals(l.handoffTo()));
        if (handoffPending) {
            return new Plan(List.of(), List.of());
        }
        List<Lease> requests = new ArrayList<>();
        int wanted = Math.min(maxStealsPerRound, ceil - mine);
        List<Map.Entry<String, List<Lease>>> owners = new ArrayList<>(held.entrySet());
        owners.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
        for (Map.Entry<String, List<Lease>> owner : owners) {
            if (requests.size() >= wanted) {
                break;
            }
            if (owner.getKey().equals(me) || !liveWorkers.contains(owner.getKey())) {
                continue;
            }
            int surplus = owner.getValue().size() - (mine + 1);
            for (Lease lease : owner.getValue()) {
                if (surplus <= 0 || requests.size() >= wanted) {
                    break;
                }
                if (lease.handoffTo() == null && canHandOff.test(lease)) {
                    requests.add(lease);
                    surplus--;
                }
            }
        }
        return new Plan(List.of(), requests);
    }
}
