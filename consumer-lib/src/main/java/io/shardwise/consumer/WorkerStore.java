package io.shardwise.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where workers prove they are alive and leave each other messages: {@link WorkerTable}
 * (DynamoDB) in production, {@link InMemoryWorkerStore} in fast tests. See {@link WorkerTable}
 * for what an item holds.
 */
interface WorkerStore extends StoredTable {

    /** One worker's item as last read. */
    record WorkerItem(long counter, int leaseCount, long load, Map<String, Long> hotLeases,
                      Set<String> handoffRequests) {

        /** The rate of a lease this worker holds: published when hot, else the mean of its other leases. */
        long throughputOf(String leaseKey) {
            Long hot = hotLeases.get(leaseKey);
            if (hot != null) {
                return hot;
            }
            int rest = leaseCount - hotLeases.size();
            long restLoad = load - hotLeases.values().stream().mapToLong(Long::longValue).sum();
            return rest <= 0 ? 0 : Math.max(0, restLoad / rest);
        }
    }

    /** Every worker's item, and the lease-set change count. */
    record Workers(Map<String, WorkerItem> items, long leaseChanges) {

        Map<String, Long> counters() {
            Map<String, Long> counters = new HashMap<>();
            items.forEach((worker, item) -> counters.put(worker, item.counter()));
            return counters;
        }
    }

    /** A strongly consistent read of every worker's item. */
    Workers scan();

    /** Tells every worker that the set of workable leases changed. */
    void announceLeaseChange();

    /** Rings {@code owner}'s doorbell for a handoff request; false when the owner has no item. */
    boolean requestHandoff(String owner, String leaseKey);

    /** Removes answered handoff requests from this worker's doorbell. */
    void clearHandoffRequests(String workerId, Set<String> leaseKeys);

    /**
     * Bumps this worker's counter from {@code expected} (creating the item when missing) and
     * publishes its lease count, load and hottest leases. Returns the new counter, or empty when
     * another process wrote the item. Gives up after {@code timeout}.
     */
    Optional<Long> heartbeat(String workerId, long expected, Map<String, Long> throughput, Duration timeout);

    /** A worker's counter (0 when it has no item). */
    long counter(String workerId);

    void delete(String workerId);
}
