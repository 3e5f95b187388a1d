package io.shardwise.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Decides, for one round, which leases this worker takes and which it asks another worker to hand
 * over. Even by lease count with a hysteresis of one: free or expired leases are taken up to
 * ceil(N/W) (N leases, W live workers); when none is free, a worker below ceil(N/W) asks a worker
 * holding at least two more leases than itself for at most {@code maxStealsPerRound} of them (a
 * graceful handoff, not a hard steal). Each such move lowers the sum of squared lease counts, so
 * rounds converge, and they stop once no two workers differ by more than one lease.
 *
 * <p>Weighted by recent throughput (bytes per second each owner reports for its leases in its
 * liveness item): when a lease must move for the counts, the requester picks, from the owner, the
 * lease that brings the two workers' loads closest. When the counts are already even within one, a
 * worker may still ask for one lease when that narrows the load gap between it and a busier worker
 * by at least {@link #LOAD_HYSTERESIS} of the gap (and the gap is at least {@link #MIN_LOAD_GAP}):
 * from a worker holding one more lease, the lease alone moves; from a worker holding as many, the
 * move is judged together with the return of the requester's coldest lease, which the count rule
 * then brings about (the busier worker, now one below, asks for the lease that evens loads best).
 * Each load move lowers the sum of squared loads by a bounded fraction, so hot shards end on
 * different workers and the moves stop.
 */
final class LeaseBalancer {

    record Plan(List<Lease> takes, List<Lease> handoffRequests) {
    }

    /** A load move must shrink the load gap between two workers by at least this fraction of it. */
    static final double LOAD_HYSTERESIS = 0.25;
    /** Load gaps below this many bytes per second are noise, not worth a handoff. */
    static final long MIN_LOAD_GAP = 16 * 1024;

    private LeaseBalancer() {
    }

    /** Balancing by lease count alone (every lease weighs the same). */
    static Plan plan(String me, List<Lease> active, Set<String> liveWorkers, Predicate<Lease> available,
                     Predicate<Lease> canHandOff, int maxStealsPerRound) {
        return plan(me, active, liveWorkers, available, canHandOff, l -> 0, maxStealsPerRound);
    }

    /**
     * @param active       unfinished leases whose parents are done (the ones that can be worked on)
     * @param liveWorkers  workers considered alive, including {@code me}
     * @param available    free leases and leases of expired owners
     * @param canHandOff   leases whose owner is a Shardwise worker that answers handoff requests
     * @param throughput   recent bytes per second of a held lease, as its owner reported it (0 if unknown)
     */
    static Plan plan(String me, List<Lease> active, Set<String> liveWorkers, Predicate<Lease> available,
                     Predicate<Lease> canHandOff, ToLongFunction<Lease> throughput, int maxStealsPerRound) {
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
        if (!takes.isEmpty() || (mine >= ceil && !free.isEmpty())) {
            return new Plan(takes, List.of());
        }

        boolean handoffPending = active.stream().anyMatch(l -> me.equals(l.handoffTo()));
        if (handoffPending) {
            return new Plan(List.of(), List.of());
        }
        List<Lease> requests = new ArrayList<>();
        if (mine >= ceil) {
            return new Plan(List.of(), loadMove(me, held, liveWorkers, canHandOff, throughput));
        }
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
            List<Lease> candidates = new ArrayList<>(owner.getValue().stream()
                    .filter(l -> l.handoffTo() == null && canHandOff.test(l)).toList());
            long myLoad = load(held.getOrDefault(me, List.of()), throughput);
            long ownerLoad = load(owner.getValue(), throughput);
            while (surplus > 0 && requests.size() < wanted && !candidates.isEmpty()) {
                // The lease that brings the two loads closest: throughput nearest half the gap.
                double half = (ownerLoad - myLoad) / 2.0;
                Lease best = candidates.stream()
                        .min(Comparator.comparingDouble(l -> Math.abs(throughput.applyAsLong(l) - half)))
                        .orElseThrow();
                candidates.remove(best);
                requests.add(best);
                myLoad += throughput.applyAsLong(best);
                ownerLoad -= throughput.applyAsLong(best);
                surplus--;
            }
        }
        return new Plan(List.of(), requests);
    }

    /**
     * With counts even within one (this worker at or above ceil(N/W) means no one is more than one
     * below it), at most one request that narrows this worker's load gap to a busier worker.
     */
    private static List<Lease> loadMove(String me, Map<String, List<Lease>> held, Set<String> liveWorkers,
                                        Predicate<Lease> canHandOff, ToLongFunction<Lease> throughput) {
        List<Lease> mineLeases = held.getOrDefault(me, List.of());
        long myLoad = load(mineLeases, throughput);
        long coldest = mineLeases.stream().mapToLong(throughput).min().orElse(0);
        Lease best = null;
        double bestGap = Double.MAX_VALUE;
        for (Map.Entry<String, List<Lease>> owner : held.entrySet()) {
            String name = owner.getKey();
            int count = owner.getValue().size();
            if (name.equals(me) || !liveWorkers.contains(name) || count < mineLeases.size()
                    || count > mineLeases.size() + 1) {
                continue;
            }
            long ownerLoad = load(owner.getValue(), throughput);
            long gap = ownerLoad - myLoad;
            if (gap < MIN_LOAD_GAP) {
                continue;
            }
            // Equal counts: the lease comes back as the coldest of mine, so the net move is t - coldest.
            long giveBack = count == mineLeases.size() ? coldest : 0;
            for (Lease lease : owner.getValue()) {
                if (lease.handoffTo() != null || !canHandOff.test(lease)) {
                    continue;
                }
                long net = throughput.applyAsLong(lease) - giveBack;
                double newGap = Math.abs(gap - 2.0 * net);
                if (net > 0 && newGap <= (1 - LOAD_HYSTERESIS) * gap && newGap < bestGap) {
                    best = lease;
                    bestGap = newGap;
                }
            }
        }
        return best == null ? List.of() : List.of(best);
    }

    private static long load(List<Lease> leases, ToLongFunction<Lease> throughput) {
        return leases.stream().mapToLong(throughput).sum();
    }
}
