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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lease rounds of one worker. Every take interval it reads the worker table (liveness,
 * lease counts, handoff doorbells) and answers handoff requests; when {@link LeaseScanPolicy} says
 * so, it also scans the lease table, notices leases it lost or was asked to hand over, adopts leases
 * handed to it, takes free and expired leases, asks overloaded workers for leases, syncs shards, and
 * removes finished parents whose children made progress ({@link ShardLineage}). It starts one
 * {@link ShardWorker} per held lease.
 *
 * <p>Expiry: a Shardwise owner is dead when its liveness counter has not moved for the failover
 * time on this worker's clock; an owner without a liveness item (a KCL worker) is dead when the
 * lease's own counter has not moved for that time, as in the KCL.
 */
final class LeaseCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseCoordinator.class);

    private final LeaseTiming settings;
    private final ShardPolicy shardPolicy;
    private final LeaseStore table;
    private final WorkerStore workers;
    private final LeaseSync shardSync;
    private final ConsumerMetrics metrics;
    private final RecordProcessorFactory processors;
    private final ExpiryTracker expiry;
    private final Map<String, ShardWorker> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService rounds;
    private final ExecutorService shardThreads;
    private final SyncSchedule syncs;
    private final LeaseScanPolicy scanPolicy;
    private final LongSupplier clock;
    private final ShardLineage lineage;
    private final AtomicInteger threadNumber = new AtomicInteger();
    private volatile Liveness liveness;
    private volatile boolean closing;
    private final Handoffs handoffs;

    LeaseCoordinator(LeaseTiming settings, ShardPolicy shardPolicy, LeaseStore table, WorkerStore workers,
                     LeaseSync shardSync, ConsumerMetrics metrics, RecordProcessorFactory processors) {
        this(settings, shardPolicy, table, workers, shardSync, metrics, processors, System::nanoTime);
    }

    /** @param clock the monotonic clock expiry and scan decisions read (a test's virtual clock) */
    LeaseCoordinator(LeaseTiming settings, ShardPolicy shardPolicy, LeaseStore table, WorkerStore workers,
                     LeaseSync shardSync, ConsumerMetrics metrics, RecordProcessorFactory processors,
                     LongSupplier clock) {
        this.clock = clock;
        this.settings = settings;
        this.shardPolicy = shardPolicy;
        this.table = table;
        this.workers = workers;
        this.shardSync = shardSync;
        this.metrics = metrics;
        this.processors = processors;
        this.expiry = new ExpiryTracker(settings.failoverTime().toNanos(), clock);
        this.lineage = new ShardLineage(table);
        this.handoffs = new Handoffs(settings.workerId(), table, workers, clock, 2 * settings.failoverTime().toNanos());
        this.syncs = new SyncSchedule(settings.workerId(), settings.shardSyncInterval(), clock, shardSync);
        this.scanPolicy = new LeaseScanPolicy(settings.workerId(), settings.leaseScanInterval(), clock);
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

    void start(Liveness workerLiveness) {
        attach(workerLiveness);
        rounds.scheduleWithFixedDelay(this::safeRound, 0, settings.takeInterval().toMillis(), TimeUnit.MILLISECONDS);
        rounds.scheduleWithFixedDelay(this::watchHandoffs, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Gives the coordinator its liveness without scheduling rounds (a test then calls {@link #round}). */
    void attach(Liveness workerLiveness) {
        this.liveness = workerLiveness;
    }

    /** Shards that may still deliver here: held, not lost, not asked to stop. */
    Set<String> deliveringShards() {
        Set<String> delivering = new HashSet<>();
        running.forEach((key, worker) -> {
            if (worker.mayDeliver()) {
                delivering.add(key);
            }
        });
        return delivering;
    }

    /** A crash, for tests: no more rounds, every shard stopped at once, nothing released. */
    void halt() {
        closing = true;
        rounds.shutdownNow();
        stopAllShards();
        shardThreads.shutdownNow();
    }

    /**
     * Starts a requested lease as soon as its owner hands it over (see {@link Handoffs}); runs every
     * 100 ms on the round thread, and reads nothing while no handoff is awaited.
     */
    void watchHandoffs() {
        if (!handoffs.awaiting() || closing) {
            return;
        }
        try {
            handoffs.watch(lease -> {
                if (!running.containsKey(lease.leaseKey()) && liveness.isAlive()) {
                    table.take(lease, settings.workerId()).ifPresent(taken -> startWorker(taken, "handed over"));
                }
            });
        } catch (RuntimeException e) {
            log.debug("Watching handoffs failed: {}", e.toString());
        }
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

    /**
     * One round. Every round reads the worker table (small: one item per worker); the lease table
     * is scanned only when something may have changed what this worker should do (see
     * {@link LeaseScanPolicy}), so a steady fleet's reads do not grow with the number of leases.
     */
    void round() {
        if (closing) {
            return;
        }
        WorkerStore.Workers current = workers.scan();
        current.items().forEach((worker, item) -> expiry.observe("worker:" + worker, item.counter()));
        handoffs.answer(current, running::get);
        if (!liveness.isAlive()) {
            // Fenced: the shards are stopped; once the heartbeat is back, a scan adopts what is still ours.
            scanPolicy.requestScan();
            return;
        }
        Set<String> live = liveWorkers(current);
        long myLoad = recentThroughput().values().stream().mapToLong(Long::longValue).sum();
        if (scanPolicy.scanDue(current, live, running.size(), myLoad, syncs.isSyncer(live), syncs.due(live))) {
            fullRound(current, live);
        }
        metrics.leasesHeld(running.size());
    }

    /** This worker and every worker whose liveness counter moved within the failover time. */
    private Set<String> liveWorkers(WorkerStore.Workers current) {
        Set<String> live = new HashSet<>();
        live.add(settings.workerId());
        current.items().keySet().stream().filter(w -> !expiry.isExpired("worker:" + w)).forEach(live::add);
        return live;
    }

    private void fullRound(WorkerStore.Workers current, Set<String> liveWithItems) {
        long scanStarted = clock.getAsLong();
        TableSnapshot snapshot = table.scan().withWorkers(current);
        metrics.leaseTableScanned();
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
            scanPolicy.requestScan();
            return;
        }
        boolean leaseSetChanged = syncs.syncIfDue(snapshot, liveWithItems);

        Set<String> live = new HashSet<>(liveWithItems);
        snapshot.workerCounters().keySet().stream().filter(w -> !expiry.isExpired("worker:" + w)).forEach(live::add);
        List<Lease> workable = snapshot.leases().stream()
                .filter(l -> !l.isFinished() && lineage.parentsDone(l, byKey))
                .toList();
        boolean foreignOwners = false;
        for (Lease lease : workable) {
            if (lease.owner() != null && !snapshot.hasWorkerItem(lease.owner())) {
                foreignOwners = true;
                if (!expiry.isExpired("lease:" + lease.leaseKey())) {
                    live.add(lease.owner());
                }
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
                l -> snapshot.hasWorkerItem(l.owner()), snapshot::throughput,
                settings.maxStealsPerRound());
        metrics.leaseRound(snapshot.leases().size(), live.size(), plan.takes().size() + plan.handoffRequests().size());
        for (Lease lease : plan.takes()) {
            table.take(lease, me).ifPresent(taken -> {
                metrics.leaseTaken();
                startWorker(taken, lease.owner() == null ? "free" : "expired (owner " + lease.owner() + ")");
            });
        }
        for (Lease lease : plan.handoffRequests()) {
            if (handoffs.request(lease)) {
                metrics.leaseStolen();
                log.info("Worker {} asked {} to hand over {}", me, lease.owner(), lease.leaseKey());
            }
        }
        leaseSetChanged |= lineage.removeFinishedParents(snapshot.leases(), byKey);
        removeDeadWorkers(snapshot);
        // The syncer's scans are the others' safety net: a free lease nobody announced (written by
        // another tool, or an announcement that failed) makes every worker look.
        boolean unannouncedFree = syncs.isSyncer(liveWithItems)
                && workable.stream().anyMatch(l -> l.owner() == null && !plan.takes().contains(l));
        if (leaseSetChanged || unannouncedFree) {
            workers.announceLeaseChange();
        }

        scanPolicy.scanned(scanStarted, current, liveWithItems, foreignOwners, leaseSetChanged);
        if (!plan.takes().isEmpty() || !plan.handoffRequests().isEmpty()) {
            // Balancing is under way: look again next round until it settles.
            scanPolicy.requestScan();
        }
    }

    private boolean isAvailable(Lease lease, TableSnapshot snapshot) {
        if (lease.owner() == null) {
            return true;
        }
        if (snapshot.hasWorkerItem(lease.owner())) {
            return expiry.isExpired("worker:" + lease.owner());
        }
        return expiry.isExpired("lease:" + lease.leaseKey());
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
        ShardWorker worker = new ShardWorker(held, shardPolicy, table, metrics, processors,
                shardSync.scopeOf(lease.leaseKey()),
                w -> {
                    running.remove(w.shardId(), w);
                    // Whatever stopped it (a lost lease, a failure, a handoff), the next round looks at the table.
                    scanPolicy.requestScan();
                }, syncs::shardEnded);
        running.put(lease.leaseKey(), worker);
        log.info("Worker {} took {} ({}) at {}", settings.workerId(), lease.leaseKey(), how, lease.checkpoint());
        shardThreads.execute(worker);
    }

    /** The next round syncs shards (a multi-stream consumer found a new stream). */
    void requestShardSync() {
        syncs.request();
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
