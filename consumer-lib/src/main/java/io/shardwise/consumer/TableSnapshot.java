package io.shardwise.consumer;

import java.util.List;
import java.util.Map;

/** One consistent scan of the lease table: shard leases, and each worker's liveness counter. */
record TableSnapshot(List<Lease> leases, Map<String, Long> workerCounters) {
}
