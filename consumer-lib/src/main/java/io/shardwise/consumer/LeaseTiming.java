package io.shardwise.consumer;

import java.time.Duration;

/**
 * How one worker holds leases: its id and the timing of its heartbeats, lease rounds, scans and
 * syncs (the coordinator's and the heartbeat's share of the settings).
 *
 * <p>A worker writes its liveness item every {@code heartbeatInterval}; others treat it as dead when
 * its counter has not moved for {@code failoverTime} on their clocks; it stops its own shards when it
 * has not written one for {@code failoverTime - selfFenceMargin}, before anyone can take them.
 * {@code takeInterval} is the period of the rounds, which read the small worker table; the lease
 * table is scanned when that shows a reason, and by the syncer every {@code leaseScanInterval}.
 */
record LeaseTiming(String workerId, Duration failoverTime, Duration heartbeatInterval, Duration selfFenceMargin,
                   Duration takeInterval, Duration shardSyncInterval, Duration leaseScanInterval,
                   int maxStealsPerRound, Duration shutdownTimeout) {

    long selfFenceNanos() {
        return failoverTime.minus(selfFenceMargin).toNanos();
    }
}
