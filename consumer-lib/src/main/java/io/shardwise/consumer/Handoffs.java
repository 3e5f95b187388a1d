package io.shardwise.consumer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Both sides of a graceful handoff. The requester writes its request on the lease (conditional on
 * the counter it saw), rings the owner's doorbell in the worker table, and then watches that one
 * lease with cheap reads, so it starts the shard a moment after the owner hands it over rather than at
 * its next round. The owner reads only the leases its doorbell names and asks their shards to hand
 * over (each checkpoints, then transfers the lease). Called from the coordinator's one round thread.
 */
final class Handoffs {
    private final String me;
    private final LeaseStore table;
    private final WorkerStore workers;
    private final LongSupplier clock;
    private final long watchNanos;
    /** Leases this worker asked for, with the time it stops watching for their arrival. */
    private final Map<String, Long> awaited = new HashMap<>();

    /** @param watchNanos how long a request is watched (two failover times: the owner may be dying) */
    Handoffs(String me, LeaseStore table, WorkerStore workers, LongSupplier clock, long watchNanos) {
        this.me = me;
        this.table = table;
        this.workers = workers;
        this.clock = clock;
        this.watchNanos = watchNanos;
    }

    /** Requester: asks the owner of {@code lease} for it; false when the lease changed meanwhile. */
    boolean request(Lease lease) {
        if (!table.requestHandoff(lease, me)) {
            return false;
        }
        awaited.put(lease.leaseKey(), clock.getAsLong() + watchNanos);
        workers.requestHandoff(lease.owner(), lease.leaseKey());
        return true;
    }

    /**
     * Requester: reads each awaited lease; one now owned here goes to {@code arrived} (which takes
     * and starts it); one refused, gone or watched too long is forgotten.
     */
    void watch(Consumer<Lease> arrived) {
        long now = clock.getAsLong();
        for (var it = awaited.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Optional<Lease> lease = table.get(entry.getKey());
            if (lease.isEmpty() || now > entry.getValue()) {
                it.remove();
            } else if (me.equals(lease.get().owner())) {
                it.remove();
                arrived.accept(lease.get());
            } else if (!me.equals(lease.get().handoffTo())) {
                it.remove();
            }
        }
    }

    boolean awaiting() {
        return !awaited.isEmpty();
    }

    /** Owner: answers the requests its doorbell names; {@code running} finds the shard of a lease here. */
    void answer(WorkerStore.Workers current, Function<String, ShardWorker> running) {
        WorkerStore.WorkerItem mine = current.items().get(me);
        if (mine == null || mine.handoffRequests().isEmpty()) {
            return;
        }
        for (String leaseKey : mine.handoffRequests()) {
            ShardWorker worker = running.apply(leaseKey);
            if (worker != null) {
                table.get(leaseKey).filter(l -> me.equals(l.owner()) && l.handoffTo() != null)
                        .ifPresent(l -> worker.requestShutdown(l.handoffTo()));
            }
        }
        workers.clearHandoffRequests(me, mine.handoffRequests());
    }
}
