package io.shardwise.cli;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An application's leases and workers, read at {@code readAt} (epoch millis). */
record AppSnapshot(long readAt, List<LeaseRow> leases, List<WorkerRow> workers) {

    Map<String, LeaseRow> leasesByKey() {
        return leases.stream().collect(Collectors.toMap(LeaseRow::leaseKey, Function.identity()));
    }

    /**
     * The workers seen live between {@code earlier} and this later read: a Shardwise worker whose
     * heartbeat counter moved, or the owner of a lease whose counter moved (how a KCL worker's
     * renewals show). A worker that stopped before the earlier read shows neither.
     */
    Set<String> liveSince(AppSnapshot earlier) {
        Set<String> live = new TreeSet<>();
        Map<String, WorkerRow> before = earlier.workers.stream()
                .filter(w -> w.counter() != null)
                .collect(Collectors.toMap(w -> w.kind() + "/" + w.workerId(), Function.identity(), (a, b) -> a));
        for (WorkerRow worker : workers) {
            WorkerRow old = before.get(worker.kind() + "/" + worker.workerId());
            if (worker.counter() != null && (old == null || !Objects.equals(old.counter(), worker.counter()))) {
                live.add(worker.workerId());
            }
        }
        Map<String, LeaseRow> oldLeases = earlier.leasesByKey();
        for (LeaseRow lease : leases) {
            LeaseRow old = oldLeases.get(lease.leaseKey());
            if (lease.owner() != null && (old == null || old.counter() != lease.counter())) {
                live.add(lease.owner());
            }
        }
        return live;
    }
}
