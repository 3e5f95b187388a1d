package io.shardwise.consumer;

import io.shardwise.consumer.WorkerStore.WorkerItem;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one full lease round reads: the shard leases and every worker's item (liveness counter,
 * lease count, load). {@code legacyWorkers}: workers whose liveness item an earlier Shardwise
 * version kept in the lease table.
 */
record TableSnapshot(List<Lease> leases, Map<String, WorkerItem> workers, Set<String> legacyWorkers) {

    /** This lease scan with the worker table's items added (a worker in both: the worker table's item counts). */
    TableSnapshot withWorkers(WorkerStore.Workers current) {
        Map<String, WorkerItem> merged = new HashMap<>(workers);
        merged.putAll(current.items());
        Set<String> legacy = new HashSet<>(legacyWorkers);
        legacy.removeAll(current.items().keySet());
        return new TableSnapshot(leases, merged, legacy);
    }

    /** Every worker with a liveness item, and its counter. */
    Map<String, Long> workerCounters() {
        Map<String, Long> counters = new HashMap<>();
        workers.forEach((worker, item) -> counters.put(worker, item.counter()));
        return counters;
    }

    boolean hasWorkerItem(String worker) {
        return worker != null && workers.containsKey(worker);
    }

    /** The lease's recent throughput as reported (or estimated) by its current owner; 0 when unknown or free. */
    long throughput(Lease lease) {
        WorkerItem owner = lease.owner() == null ? null : workers.get(lease.owner());
        return owner == null ? 0 : owner.throughputOf(lease.leaseKey());
    }
}
