package io.shardwise.consumer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one lease round reads: the shard leases, each worker's liveness counter, and the recent
 * bytes per second each worker reported for the leases it holds. {@code legacyWorkers}: workers
 * whose liveness item an earlier Shardwise version kept in the lease table.
 */
record TableSnapshot(List<Lease> leases, Map<String, Long> workerCounters,
                     Map<String, Map<String, Long>> workerThroughput, Set<String> legacyWorkers) {

    TableSnapshot(List<Lease> leases, Map<String, Long> workerCounters) {
        this(leases, workerCounters, Map.of(), Set.of());
    }

    /** This lease scan with the worker table's liveness added (a worker in both: the worker table's item counts). */
    TableSnapshot withWorkers(WorkerTable.Workers workers) {
        Map<String, Long> counters = new HashMap<>(workerCounters);
        counters.putAll(workers.counters());
        Map<String, Map<String, Long>> throughput = new HashMap<>(workerThroughput);
        throughput.putAll(workers.throughput());
        Set<String> legacy = new HashSet<>(legacyWorkers);
        legacy.removeAll(workers.counters().keySet());
        return new TableSnapshot(leases, counters, throughput, legacy);
    }

    /** The lease's recent throughput as reported by its current owner (0 when unknown or free). */
    long throughput(Lease lease) {
        if (lease.owner() == null) {
            return 0;
        }
        return workerThroughput.getOrDefault(lease.owner(), Map.of()).getOrDefault(lease.leaseKey(), 0L);
    }
}
