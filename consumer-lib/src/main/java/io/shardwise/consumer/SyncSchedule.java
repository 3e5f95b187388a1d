package io.shardwise.consumer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a worker syncs shards with the stream: when a shard here ended (its children may need
 * leases), when asked (a multi-stream consumer found a new stream), after a failed sync, and on
 * schedule when it is the syncer, the live worker with the least id (at once when it becomes the
 * syncer). A sync is idempotent, so two workers that both believe they are the syncer for a moment
 * do no harm.
 */
final class SyncSchedule {
    private static final Logger log = LoggerFactory.getLogger(SyncSchedule.class);

    private final String workerId;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final LeaseSync sync;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean shardEnded = new AtomicBoolean();
    private long lastSyncNanos;
    private boolean synced;

    SyncSchedule(String workerId, Duration interval, LongSupplier clock, LeaseSync sync) {
        this.workerId = workerId;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.sync = sync;
    }

    /** The syncer is the live worker with the least id. */
    boolean isSyncer(Set<String> live) {
        return live.stream().min(String::compareTo).orElseThrow().equals(workerId);
    }

    /** Whether the next scan should sync. */
    boolean due(Set<String> live) {
        return requested.get() || scheduled(live);
    }

    private boolean scheduled(Set<String> live) {
        return isSyncer(live) && (!synced || clock.getAsLong() - lastSyncNanos >= intervalNanos);
    }

    /** The next round syncs. */
    void request() {
        requested.set(true);
    }

    /** A shard here ended: the next round syncs, and its lease set changed (the children became workable). */
    void shardEnded() {
        shardEnded.set(true);
        requested.set(true);
    }

    /**
     * Syncs when due. Returns true when the lease set changed: leases created or removed, or a shard
     * finished here.
     */
    boolean syncIfDue(TableSnapshot snapshot, Set<String> live) {
        long now = clock.getAsLong();
        boolean ended = shardEnded.getAndSet(false);
        if (!requested.getAndSet(false) && !scheduled(live)) {
            return ended;
        }
        lastSyncNanos = now;
        synced = true;
        try {
            return sync.sync(snapshot) > 0 || ended;
        } catch (RuntimeException e) {
            requested.set(true);
            log.warn("Shard sync of {} failed: {}", workerId, e.toString());
            return ended;
        }
    }
}
