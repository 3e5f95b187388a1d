package io.shardwise.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Decides, each round, whether this worker scans the lease table. Every round reads the worker
 * table, which shows most reasons to look at the leases; a steady fleet never scans but for the
 * safety net, so its read cost does not grow with the number of leases.
 *
 * <p>A scan is due: at the first round; when asked ({@link #requestScan}: a shard here stopped or
 * ended, the worker was fenced, balancing is under way); when the lease-change count moved (another
 * worker created or deleted leases or finished a shard); when a worker joined, left or expired; while
 * leases of owners without a liveness item exist (a KCL worker: its expiry is read from its lease
 * counters, so every round scans, as the KCL does); when the lease counts the workers report are
 * uneven by two or more and changed since the last scan; when the caller's sync is due.
 *
 * <p>The safety net, a scan every {@code safetyInterval}, runs on one worker only, the syncer (it
 * announces what only the table shows, such as a free lease nobody announced, so the others scan
 * then), and on a worker whose load trails a busier worker's by {@link LeaseBalancer#MIN_LOAD_GAP}
 * or more (the balancer may move a hot lease). Every other worker's reads stay independent of the
 * number of leases.
 */
final class LeaseScanPolicy {
    private final String me;
    private final long safetyNanos;
    private final LongSupplier clock;
    private final AtomicBoolean requested = new AtomicBoolean();
    private boolean scanned;
    private long lastScanNanos;
    private long changesAtScan;
    private Set<String> liveAtScan = Set.of();
    private boolean foreignOwnersAtScan;
    private Map<String, Integer> countsAtScan = Map.of();

    LeaseScanPolicy(String me, Duration safetyInterval, LongSupplier clock) {
        this.me = me;
        this.safetyNanos = safetyInterval.toNanos();
        this.clock = clock;
    }

    /** The next round scans, whatever the worker table shows. Safe from any thread. */
    void requestScan() {
        requested.set(true);
    }

    /**
     * @param live     this worker and the workers whose liveness counters move
     * @param mine     leases running here
     * @param myLoad   recent bytes per second of the leases running here
     * @param syncer   this worker keeps the safety net (see the class comment)
     * @param syncDue  a shard sync is due here (it needs a scan)
     */
    boolean scanDue(WorkerStore.Workers current, Set<String> live, int mine, long myLoad, boolean syncer,
                    boolean syncDue) {
        if (!scanned || requested.getAndSet(false) || syncDue) {
            return true;
        }
        Map<String, Integer> counts = othersCounts(current, live);
        boolean uneven = counts.values().stream().anyMatch(count -> count >= mine + 2);
        boolean trailing = current.items().entrySet().stream()
                .anyMatch(e -> live.contains(e.getKey()) && e.getValue().load() - myLoad >= LeaseBalancer.MIN_LOAD_GAP);
        return current.leaseChanges() != changesAtScan
                || !live.equals(liveAtScan)
                || foreignOwnersAtScan
                || (uneven && !counts.equals(countsAtScan))
                || ((syncer || trailing) && clock.getAsLong() - lastScanNanos >= safetyNanos);
    }

    /**
     * Records what a scan that started at {@code startedNanos} saw. {@code changedHere}: this
     * round changed the lease set itself and announced it; the next read of the count then differs
     * from the one seen here, and the next round scans once more to see the result.
     */
    void scanned(long startedNanos, WorkerStore.Workers current, Set<String> live, boolean foreignOwners,
                 boolean changedHere) {
        scanned = true;
        lastScanNanos = startedNanos;
        changesAtScan = changedHere ? -1 : current.leaseChanges();
        liveAtScan = Set.copyOf(live);
        foreignOwnersAtScan = foreignOwners;
        countsAtScan = othersCounts(current, live);
    }

    private Map<String, Integer> othersCounts(WorkerStore.Workers current, Set<String> live) {
        Map<String, Integer> counts = new HashMap<>();
        current.items().forEach((worker, item) -> {
            if (live.contains(worker) && !worker.equals(me)) {
                counts.put(worker, item.leaseCount());
            }
        });
        return counts;
    }
}
