package io.shardwise.consumer;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lease rounds of one worker: every take interval it scans the table, notices leases it
 * lost or was asked to hand over, adopts leases handed to it, takes free and expired leases, asks
 * overloaded workers for leases, syncs shards now and then, and removes finished parents whose
 * children made progress. It starts one {@link ShardWorker} per held lease.
 *
 * <p>Expiry: a Shardwise owner is dead when its liveness counter has not moved for the failover
 * time on this worker's clock; an owner without a liveness item (a KCL worker) is dead when the
 * lease's own counter has not moved for that time, as in the KCL.
 */
final class LeaseCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseCoordinator.class);

    private final ConsumerSettings settings;
    private final LeaseTable table;
    private final WorkerTable workers;
    private final LeaseSync shardSync;
    private final ConsumerMetrics metrics;
    private final RecordProcessorFactory processors;
    private final ExpiryTracker expiry;
    private final Map<String, ShardWorker> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds;
    private final ExecutorService shardThreads;
    private final AtomicBoolean syncNeeded = new AtomicBoolean(true);
    private final AtomicInteger threadNumber = new AtomicInteger();
    private volatile WorkerLiveness liveness;
    private volatile boolean closing;
    private long lastSyncNanos;
    /** Parent shards a consistent read found without a lease (see parentsDone). */
    private final Set<String> confirmedAbsent = new HashSet<>();
    /** Leases this worker asked for, with the time it stops watching for their arrival. */
    private final Map<String, Long> awaitedHandoffs = new HashMap<>();

    LeaseCoordinator(ConsumerSettings settings, LeaseTable table, WorkerTable workers, LeaseSync shardSync,
                     ConsumerMetrics metrics, RecordProcessorFactory processors) {
        this.settings = settings;
        this.table = table;
        this.workers = workers;
        this.shardSync = shardSync;
        this.metrics = metrics;
        this.processors = processors;
        this.expiry = new ExpiryTracker(settings.failoverTime().toNanos(), System::nanoTime);
        this.rounds = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "shardwise-leases-"
                + settings.workerId()));
        this.shardThreads = Executors.newCachedThreadPool(r -> daemon(r, "shardwise-shard-"
                + threadNumber.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void start(WorkerLiveness workerLiveness) {
        this.liveness = workerLiveness;
        rounds.scheduleWithFixedDelay(this::safeRound, 0, settings.takeInterval().toMillis(), TimeUnit.MILLISECONDS);
        rounds.scheduleWithFixedDelay(this::watchHandoffs, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Self-fencing: stop every shard at once (called by the heartbeat when it fell behind). */
    void stopAllShards() {
        running.values().forEach(ShardWorker::leaseLost);
    }

    /** Recent bytes per second of each lease running here (published in the liveness item). */
    Map<String, Long> recentThroughput() {
        Map<String, Long> rates = new HashMap<>();
        running.forEach((key, worker) -> rates.put(key, worker.recentBytesPerSecond()));
        return rates;
    }

    Set<String> heldShards() {
        return Set.copyOf(running.keySet());
    }

    private void safeRound() {
        try {
            round();
        } catch (RuntimeException e) {
            if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    && service.isThrottlingException()) {
                metrics.dynamoThrottled();
            }
            log.warn("Lease round of {} failed: {}", settings.workerId(), e.toString());
        }
    }

    void round() {
        if (closing) {
            return;
        }
        TableSnapshot snapshot = table.scan().withWorkers(workers.scan());
        String me = settings.workerId();
        Map<String, Lease> byKey = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Lease lease : snapshot.leases()) {
            byKey.put(lease.leaseKey(), lease);
            expiry.observe("lease:" + lease.leaseKey(), lease.counter());
            keys.add("lease:" + lease.leaseKey());
        }
        snapshot.workerCounters().forEach((worker, counter) -> {
            expiry.observe("worker:" + worker, counter);
            keys.add("worker:" + worker);
        });
        expiry.retainOnly(keys);

        checkHeldLeases(byKey);
        if (closing || !liveness.isAlive()) {
            return;
        }
        syncShardsIfDue(snapshot);

        Set<String> live = new HashSet<>();
        live.add(me);
        snapshot.workerCounters().keySet().stream().filter(w -> !expiry.isExpired("worker:" + w)).forEach(live::add);
        List<Lease> workable = snapshot.leases().stream()
                .filter(l -> !l.isFinished() && parentsDone(l, byKey))
                .toList();
        for (Lease lease : workable) {
            if (lease.owner() != null && !snapshot.workerCounters().containsKey(lease.owner())
                    && !expiry.isExpired("lease:" + lease.leaseKey())) {
                live.add(lease.owner());
            }
        }

        // Leases the table says are mine but that run nowhere here (handed to me, or kept across a restart).
        for (Lease lease : workable) {
            if (me.equals(lease.owner()) && !running.containsKey(lease.leaseKey())) {
                table.take(lease, me).ifPresent(taken -> startWorker(taken, "adopted"));
            }
        }

        LeaseBalancer.Plan plan = LeaseBalancer.plan(me, workable, live,
                l -> !running.containsKey(l.leaseKey()) && !me.equals(l.owner()) && isAvailable(l, snapshot),
                l -> snapshot.workerCounters().containsKey(l.owner()), snapshot::throughput,
                settings.maxStealsPerRound());
        for (Lease lease : plan.takes()) {
            table.take(lease, me).ifPresent(taken -> {
                metrics.leaseTaken();
                startWorker(taken, lease.owner() == null ? "free" : "expired (owner " + lease.owner() + ")");
            });
        }
        for (Lease lease : plan.handoffRequests()) {
            if (table.requestHandoff(lease, me)) {
                metrics.leaseStolen();
                awaitedHandoffs.put(lease.leaseKey(), System.nanoTime() + 2 * settings.failoverTime().toNanos());
                log.info("Worker {} asked {} to hand over {}", me, lease.owner(), lease.leaseKey());
            }
        }
        removeFinishedParents(snapshot.leases(), byKey);
        removeDeadWorkers(snapshot);
        metrics.leasesHeld(running.size());
    }

    /**
     * A requested lease is watched with cheap reads of its item, so it starts here a moment after its
     * owner hands it over rather than at the next round: the handoff gap stays short.
     */
    private void watchHandoffs() {
        if (awaitedHandoffs.isEmpty() || closing) {
            return;
        }
        try {
            long now = System.nanoTime();
            for (var it = awaitedHandoffs.entrySet().iterator(); it.hasNext(); ) {
                var awaited = it.next();
                var lease = table.get(awaited.getKey());
                if (lease.isEmpty() || now > awaited.getValue()) {
                    it.remove();
                } else if (settings.workerId().equals(lease.get().owner())) {
                    it.remove();
                    if (!running.containsKey(awaited.getKey()) && liveness.isAlive()) {
                        table.take(lease.get(), settings.workerId()).ifPresent(taken -> startWorker(taken, "handed over"));
                    }
                } else if (!settings.workerId().equals(lease.get().handoffTo())) {
                    it.remove();
                }
            }
        } catch (RuntimeException e) {
            log.debug("Watching handoffs failed: {}", e.toString());
        }
    }

    private boolean isAvailable(Lease lease, TableSnapshot snapshot) {
        if (lease.owner() == null) {
            return true;
        }
        if (snapshot.workerCounters().containsKey(lease.owner())) {
            return expiry.isExpired("worker:" + lease.owner());
        }
        return expiry.isExpired("lease:" + lease.leaseKey());
    }

    /**
     * A child starts only when every parent is finished, or has no lease (finished and cleaned up,
     * or never read: history from before the application started). A parent missing from the scan
     * is read again with a consistent GetItem: a scan is not a snapshot, and can miss an item that a
     * sync created while it ran. Parents confirmed absent are remembered, so an idle child does not
     * cost a read per round.
     */
    private boolean parentsDone(Lease lease, Map<String, Lease> byKey) {
        if (lease.checkpoint().isPosition()) {
            return true;
        }
        for (String parent : lease.parentShardIds()) {
            Lease p = byKey.get(parent);
            if (p == null && !confirmedAbsent.contains(parent)) {
                p = table.get(parent).orElse(null);
                if (p == null) {
                    confirmedAbsent.add(parent);
                }
            }
            if (p != null && !p.isFinished()) {
                return false;
            }
        }
        return true;
    }

    private void checkHeldLeases(Map<String, Lease> byKey) {
        String me = settings.workerId();
        for (ShardWorker worker : running.values()) {
            Lease lease = byKey.get(worker.shardId());
            long known = worker.held().counter();
            if (lease == null) {
                log.warn("Lease of {} disappeared from the table", worker.shardId());
                worker.leaseLost();
            } else if (!me.equals(lease.owner()) && lease.counter() >= known) {
                log.info("Worker {} lost {} to {}", me, worker.shardId(), lease.owner());
                worker.leaseLost();
            } else if (me.equals(lease.owner()) && lease.counter() > known) {
                log.warn("Lease of {} was written by someone else (counter {} > {})", worker.shardId(),
                        lease.counter(), known);
                worker.leaseLost();
            } else if (me.equals(lease.owner()) && lease.handoffTo() != null) {
                worker.requestShutdown(lease.handoffTo());
            }
        }
    }

    private void syncShardsIfDue(TableSnapshot snapshot) {
        long now = System.nanoTime();
        if (syncNeeded.getAndSet(false) || now - lastSyncNanos >= settings.shardSyncInterval().toNanos()) {
            lastSyncNanos = now;
            try {
                shardSync.sync(snapshot);
            } catch (RuntimeException e) {
                syncNeeded.set(true);
                log.warn("Shard sync failed: {}", e.toString());
            }
        }
    }

    private void removeFinishedParents(List<Lease> leases, Map<String, Lease> byKey) {
        for (Lease parent : leases) {
            if (!parent.isFinished()) {
                continue;
            }
            List<Lease> children = leases.stream().filter(l -> l.parentShardIds().contains(parent.leaseKey())).toList();
            boolean childrenProgressed = !children.isEmpty() && children.stream()
                    .allMatch(c -> c.checkpoint().isPosition() || c.isFinished());
            boolean knownChildrenPresent = parent.childShardIds().stream().allMatch(byKey::containsKey);
            if (childrenProgressed && knownChildrenPresent && table.deleteFinished(parent.leaseKey())) {
                log.info("Removed finished parent lease {}", parent.leaseKey());
            }
        }
    }

    /** Deletes liveness items of workers dead for 20 failover times that own no lease any more. */
    private void removeDeadWorkers(TableSnapshot snapshot) {
        long limit = 20 * settings.failoverTime().toNanos();
        for (String worker : snapshot.workerCounters().keySet()) {
            boolean ownsLeases = snapshot.leases().stream().anyMatch(l -> worker.equals(l.owner()));
            if (!worker.equals(settings.workerId()) && !ownsLeases && expiry.unchangedNanos("worker:" + worker) > limit) {
                if (snapshot.legacyWorkers().contains(worker)) {
                    table.deleteLegacyWorker(worker);
                } else {
                    workers.delete(worker);
                }
                log.info("Removed the liveness item of dead worker {}", worker);
            }
        }
    }

    private void startWorker(Lease lease, String how) {
        if (!liveness.isAlive()) {
            // Taken by a round that began before the fence: not started; adopted again once alive.
            log.info("Worker {} took {} while fenced; it starts once the heartbeat is back", settings.workerId(),
                    lease.leaseKey());
            return;
        }
        HeldLease held = new HeldLease(settings.workerId(), lease);
        ShardWorker worker = new ShardWorker(held, settings, table, metrics, processors,
                shardSync.scopeOf(lease.leaseKey()),
                w -> running.remove(w.shardId(), w), () -> syncNeeded.set(true));
        running.put(lease.leaseKey(), worker);
        log.info("Worker {} took {} ({}) at {}", settings.workerId(), lease.leaseKey(), how, lease.checkpoint());
        shardThreads.execute(worker);
    }

    /** The next round syncs shards (a multi-stream consumer found a new stream). */
    void requestShardSync() {
        syncNeeded.set(true);
    }

    /**
     * Asks the shards whose lease keys {@code leaseKeys} accepts to stop as at a close: each may
     * checkpoint, then its lease is released (a multi-stream consumer stops a removed stream).
     */
    void shutDownShards(java.util.function.Predicate<String> leaseKeys) {
        running.forEach((key, worker) -> {
            if (leaseKeys.test(key)) {
                worker.requestShutdown(null);
            }
        });
    }

    /** First step of a graceful stop: no more rounds, so no more takes. */
    private void stopTaking() {
        closing = true;
        rounds.shutdown();
        try {
            rounds.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Graceful stop: no more takes; every shard is asked to checkpoint and its lease released. A
     * shard still running at the shutdown timeout is stopped as if its lease were lost, so it
     * delivers nothing once the heartbeat that protects its lease ends.
     */
    @Override
    public void close() {
        stopTaking();
        running.values().forEach(w -> w.requestShutdown(null));
        shardThreads.shutdown();
        try {
            if (!shardThreads.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Shards {} did not stop within {}; they are stopped without a final checkpoint",
                        running.keySet(), settings.shutdownTimeout());
                stopAllShards();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAllShards();
        }
    }
}
