package io.shardwise.cli;

import java.util.Map;

/**
 * A worker of the application as its liveness item shows it: a Shardwise worker (its counter, bumped
 * by every heartbeat, and the wall-clock time of the last one), or a KCL 3.x worker (the last update
 * of its metrics item; no counter, its liveness is judged by its leases' counters). Times are epoch
 * millis, null when the item does not say.
 */
record WorkerRow(String workerId, Kind kind, Long counter, Long reportedAt, Long reportedLeaseCount,
                 Map<String, Long> throughput) {

    enum Kind {
        SHARDWISE("shardwise"), SHARDWISE_LEGACY("shardwise"), KCL("kcl");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }
}
