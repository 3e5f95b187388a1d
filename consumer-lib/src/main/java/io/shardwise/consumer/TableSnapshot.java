package io.shardwise.consumer;

import java.util.List;
import java.util.Map;

/**
 * One consistent scan of the lease table: shard leases, each worker's liveness counter, and the
 * recent bytes per second each worker reported for the leases it holds.
 */
record TableSnapshot(List<Lease> leases, Map<String, Long> workerCounters,
                     Map<String, Map<String, Long>> workerThroughput) {

    TableSnapshot(List<Lease> leases, Map<String, Long> workerCounters) {
        this(leases, workerCounters, Map.of());
    }

    /** The lease's recent throughput as reported by its current owner (0 when unknown or free). */
    long throughput(Lease lease) {
        if (lease.owner() == null) {
            return 0;
        }
        return workerThroughput.getOrDefault(lease.owner(), Map.of()).getOrDefault(lease.leaseKey(), 0L);
    }
}
