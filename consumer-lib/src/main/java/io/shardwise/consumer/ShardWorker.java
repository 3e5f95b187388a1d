package io.shardwise.consumer;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.HashKeyRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Processes one held lease on its own thread: read -> deaggregate -> processor -> checkpointer,
 * until the shard ends, the lease is lost, or a shutdown (close or handoff) is requested.
 *
 * <p>A failing batch is delivered again, never skipped; the checkpointer never lets the processor
 * checkpoint past what it was given. At the shard's end the child leases are created before the
 * processor checkpoints SHARD_END, then the lease is released.
 */
final class ShardWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ShardWorker.class);

    private final HeldLease held;
    private final ShardPolicy settings;
    private final LeaseStore table;
    private final ConsumerMetrics metrics;
    private final RecordProcessorFactory processors;
    private final StreamScope scope;
    /** The shard's id in Kinesis: the lease key in a single-stream table, its last part in a multi-stream one. */
    private final String kinesisShardId;
    private final Consumer<ShardWorker> onFinished;
    private final Runnable onShardEnded;
    private final StopSignal stop = new StopSignal();
    private final ShardCheckpointer checkpointer;
    private final HashKeyRange range;
    private final RecentThroughput throughput = new RecentThroughput(System.nanoTime());
    private volatile boolean finished;

    ShardWorker(HeldLease held, ConsumerSettings settings, LeaseStore table, ConsumerMetrics metrics,
                RecordProcessorFactory processors, RetrieverFactory retrievers, Consumer<ShardWorker> onFinished,
                Runnable onShardEnded) {
        this(held, settings.shards(), table, metrics, processors,
                StreamScope.single(settings.stream(), settings.initialPosition(), retrievers), onFinished, onShardEnded);
    }

    /** A worker of a lease of the stream {@code scope} (which reads the shard and names the stream). */
    ShardWorker(HeldLease held, ShardPolicy settings, LeaseStore table, ConsumerMetrics metrics,
                RecordProcessorFactory processors, StreamScope scope, Consumer<ShardWorker> onFinished,
                Runnable onShardEnded) {
        this.held = held;
        this.settings = settings;
        this.table = table;
        this.metrics = metrics;
        this.processors = processors;
        this.scope = scope;
        this.kinesisShardId = scope.shardId(held.shardId());
        this.onFinished = onFinished;
        this.onShardEnded = onShardEnded;
        this.checkpointer = new ShardCheckpointer(held, table, settings.workerId(), metrics);
        Lease lease = held.lease();
        this.range = lease.startingHashKey() == null ? null
                : HashKeyRange.of(lease.startingHashKey(), lease.endingHashKey());
    }

    /** The lease key (the shard id in a single-stream table). */
    String shardId() {
        return held.shardId();
    }

    HeldLease held() {
        return held;
    }

    /** Recent bytes per second processed from this shard (published in the liveness item for balancing). */
    long recentBytesPerSecond() {
        return throughput.bytesPerSecond(System.nanoTime());
    }

    boolean isFinished() {
        return finished;
    }

    /** False once a stop was asked for or the lease lost: from then on this shard delivers nothing. */
    boolean mayDeliver() {
        return !finished && !stop.stopped() && !held.isLost();
    }

    void requestShutdown(String handoffTo) {
        stop.requestShutdown(handoffTo);
    }

    /** Never blocks: the stop comes first, then the lease is marked, without waiting for a write in flight. */
    void leaseLost() {
        stop.leaseLost();
        held.markLost();
    }

    @Override
    public void run() {
        try {
            runShard();
        } catch (RuntimeException e) {
            log.error("Worker of {} stopped on an unexpected error; its lease is released", shardId(), e);
            releaseQuietly();
        } finally {
            finished = true;
            onFinished.accept(this);
        }
    }

    private void runShard() {
        Lease lease = held.lease();
        if (lease.isFinished() || !scope.active()) {
            // A finished lease, or one of a stream no longer tracked (taken by a round that raced its removal).
            releaseQuietly();
            return;
        }
        RecordProcessor processor = initialized(lease);
        if (processor == null) {
            return;
        }
        Checkpoint done = lease.checkpoint();
        boolean parked = false;
        try (Retriever retriever = scope.retrievers().open(kinesisShardId, lease.checkpoint(), stop)) {
            while (!stop.stopped()) {
                if (parked) {
                    stop.sleep(60_000);
                    continue;
                }
                RecordBatch batch = retriever.next();
                // A read can outlive the lease: what it returns after a stop is never delivered.
                if (batch == null || stop.stopped()) {
                    break;
                }
                // Before delivery: a checkpoint written during this batch stores the lag it saw.
                held.reportMillisBehindLatest(batch.millisBehindLatest());
                List<ConsumerRecord> records = deaggregate(batch.records(), done);
                if (!records.isEmpty()) {
                    Delivery delivery = deliver(processor, records, batch.millisBehindLatest());
                    if (delivery == Delivery.STOPPED) {
                        break;
                    }
                    if (delivery == Delivery.PARKED) {
                        parked = true;
                        continue;
                    }
                    done = records.get(records.size() - 1).position();
                }
                metrics.millisBehindLatest(shardId(), batch.millisBehindLatest());
                if (batch.gone()) {
                    metrics.shardGone();
                    log.warn("Shard {} no longer exists (ResourceNotFoundException: trimmed after the retention period,"
                            + " or deleted) after {}; records not read by then are lost to retention. Its lease is"
                            + " finished so its children can start", shardId(), done);
                }
                if (batch.shardEnded()) {
                    endShard(processor, batch.childShards());
                    return;
                }
            }
        }
        finish(processor);
    }

    private enum Delivery { DONE, STOPPED, PARKED }

    /**
     * Creates and initializes the processor, retrying with backoff like a failing batch. After the
     * configured attempts the shard is stopped and reported whatever the policy (there is no batch to
     * hand to a poison handler): the worker keeps the lease, idle, until it is lost or a shutdown is
     * requested, so the shard does not cycle between take, failed initialize and release. Returns
     * null when the shard must not run.
     */
    private RecordProcessor initialized(Lease lease) {
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(10));
        for (int attempts = 1; ; attempts++) {
            try {
                RecordProcessor processor = scope.newProcessor(processors, kinesisShardId);
                processor.initialize(new ShardStart(kinesisShardId, lease.checkpoint(), lease.pendingCheckpoint(),
                        lease.pendingState()));
                return processor;
            } catch (RuntimeException failure) {
                log.warn("Processor of {} failed to initialize (attempt {})", shardId(), attempts, failure);
                if (attempts >= settings.maxProcessingAttempts()) {
                    log.error("Shard {} stopped: its processor failed to initialize {} times", shardId(), attempts);
                    settings.failureListener().onShardStopped(shardId(), failure);
                    while (stop.sleep(60_000)) {
                        // Parked: holds the lease without processing until lost or asked to stop.
                    }
                    releaseOrHandOff();
                    return null;
                }
                if (!stop.sleep(backoff.nextDelayMillis())) {
                    releaseOrHandOff();
                    return null;
                }
            }
        }
    }

    /** At a stop without a processor to ask: a lost lease is left alone, otherwise handed over or released. */
    private void releaseOrHandOff() {
        if (stop.reason() == StopSignal.Reason.LEASE_LOST || held.isLost()) {
            metrics.leaseLost();
            return;
        }
        String target = stop.handoffTo();
        try {
            if (target != null) {
                held.write(counter -> table.transfer(shardId(), counter, settings.workerId(), target), "handoff");
            } else {
                held.write(counter -> table.release(shardId(), counter, settings.workerId()), "release");
            }
        } catch (RuntimeException e) {
            log.warn("Could not release {}; it expires after the failover time", shardId(), e);
        }
    }

    /**
     * Delivers one batch until it succeeds; the failure policy applies after the configured attempts.
     * A retry delivers only the records after the stored checkpoint: what the failed attempt already
     * checkpointed is done, and handing it over again would make the processor's own checkpoints of
     * it go backwards.
     */
    private Delivery deliver(RecordProcessor processor, List<ConsumerRecord> batch, long behind) {
        Checkpoint before = checkpointer.lastDelivered();
        Checkpoint last = batch.get(batch.size() - 1).position();
        List<ConsumerRecord> records = batch;
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(10));
        int attempts = 0;
        while (true) {
            if (stop.reason() == StopSignal.Reason.LEASE_LOST) {
                return Delivery.STOPPED;
            }
            if (attempts > 0) {
                records = after(batch, held.checkpoint());
                if (records.isEmpty()) {
                    return Delivery.DONE;
                }
            }
            List<ConsumerRecord> view = Collections.unmodifiableList(records);
            long bytes = records.stream().mapToLong(r -> r.data().length).sum();
            checkpointer.delivered(last, attempts > 0);
            long start = System.nanoTime();
            try {
                processor.processRecords(view, checkpointer, behind);
                metrics.processed(shardId(), records.size(), bytes, System.nanoTime() - start);
                throughput.add(bytes, System.nanoTime());
                return Delivery.DONE;
            } catch (LeaseLostException lost) {
                leaseLost();
                return Delivery.STOPPED;
            } catch (Exception failure) {
                checkpointer.delivered(before, false);
                attempts++;
                log.warn("Processor of {} failed on a batch of {} records (attempt {}); the batch is retried",
                        shardId(), records.size(), attempts, failure);
                if (attempts >= settings.maxProcessingAttempts()) {
                    if (settings.failurePolicy() == FailurePolicy.STOP_SHARD) {
                        log.error("Shard {} stopped after {} failed attempts at {}", shardId(), attempts, last);
                        settings.failureListener().onShardStopped(shardId(), failure);
                        return Delivery.PARKED;
                    }
                    if (settings.failurePolicy() == FailurePolicy.POISON_HANDLER) {
                        settings.poisonHandler().onPoisonBatch(shardId(), view, failure);
                        checkpointer.delivered(last, false);
                        return Delivery.DONE;
                    }
                }
                if (!stop.sleep(backoff.nextDelayMillis())) {
                    return Delivery.STOPPED;
                }
            }
        }
    }

    /** The records of a batch after a position (all of them when the position is a sentinel). */
    private static List<ConsumerRecord> after(List<ConsumerRecord> batch, Checkpoint position) {
        if (!position.isPosition()) {
            return batch;
        }
        return batch.stream().filter(r -> r.position().compareTo(position) > 0).toList();
    }

    /**
     * Unpacks KPL aggregates. A sub-record whose hash key lies outside this shard's range was put
     * there by a producer with a stale shard map; the KPL (and Shardwise's producer) re-send such a
     * record to the right shard, so it is dropped here by default, as the KCL does, and counted. A
     * consumer of producers that never re-send (the npm aggregator) delivers them instead
     * ({@code deliverRecordsOutsideShardRange}).
     */
    private List<ConsumerRecord> deaggregate(List<Record> raw, Checkpoint done) {
        List<ConsumerRecord> out = new ArrayList<>(raw.size());
        int outside = 0;
        for (Record r : raw) {
            Deaggregation d = Deaggregator.deaggregate(r.partitionKey(), null,
                    r.data().asByteArrayUnsafe(), r.sequenceNumber(), range);
            outside += d.outsideShardRangeCount();
            for (DeaggregatedRecord u : d.records()) {
                Checkpoint position = new Checkpoint(u.sequenceNumber(), u.subSequenceNumber());
                // After a restart from a checkpoint the read starts AT its sequence number: skip what was done.
                if (done.isPosition() && position.compareTo(done) <= 0) {
                    continue;
                }
                if (u.outsideShardRange() && !settings.deliverOutsideShardRange()) {
                    continue;
                }
                out.add(new ConsumerRecord(kinesisShardId, u.partitionKey(), u.explicitHashKey(), u.data(),
                        u.sequenceNumber(), u.subSequenceNumber(), r.approximateArrivalTimestamp(), u.aggregated(),
                        u.outsideShardRange()));
            }
        }
        if (outside > 0) {
            metrics.outsideShardRange(outside);
            log.warn("{} sub-records read from {} lie outside its hash key range (a producer's stale shard map); {}",
                    outside, shardId(), settings.deliverOutsideShardRange() ? "delivered anyway"
                            : "dropped: the producer re-sends them to the right shard");
        }
        return out;
    }

    private void endShard(RecordProcessor processor, List<ChildShard> children) {
        Set<String> childIds = new LinkedHashSet<>();
        for (ChildShard child : children) {
            childIds.add(child.shardId());
            scope.createLease(table, child.shardId(), Checkpoint.TRIM_HORIZON, new LinkedHashSet<>(child.parentShards()),
                    child.hashKeyRange().startingHashKey(), child.hashKeyRange().endingHashKey());
        }
        checkpointer.shardEnded(childIds);
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10));
        while (!held.checkpoint().isShardEnd()) {
            try {
                processor.shardEnded(checkpointer);
                if (!held.checkpoint().isShardEnd()) {
                    log.error("Processor of {} did not checkpoint SHARD_END at the shard's end; asking again",
                            shardId());
                }
            } catch (LeaseLostException lost) {
                processor.leaseLost();
                return;
            } catch (RuntimeException e) {
                log.warn("Processor of {} failed at shard end; asking again", shardId(), e);
            }
            if (!held.checkpoint().isShardEnd() && !stop.sleep(backoff.nextDelayMillis())) {
                finish(processor);
                return;
            }
        }
        log.info("Shard {} ended; children {}", shardId(), childIds);
        releaseQuietly();
        onShardEnded.run();
    }

    private void finish(RecordProcessor processor) {
        if (stop.reason() == StopSignal.Reason.LEASE_LOST || held.isLost()) {
            metrics.leaseLost();
            processor.leaseLost();
            return;
        }
        try {
            processor.shutdownRequested(checkpointer);
        } catch (LeaseLostException lost) {
            processor.leaseLost();
            return;
        } catch (RuntimeException e) {
            log.warn("Processor of {} failed in shutdownRequested", shardId(), e);
        }
        String target = stop.handoffTo();
        try {
            if (target != null) {
                held.write(counter -> table.transfer(shardId(), counter, settings.workerId(), target), "handoff");
                log.info("Handed {} over to {}", shardId(), target);
            } else {
                held.write(counter -> table.release(shardId(), counter, settings.workerId()), "release");
            }
        } catch (LeaseLostException lost) {
            log.info("Lease of {} was already gone at shutdown", shardId());
        } catch (RuntimeException e) {
            log.warn("Could not release {}; it expires after the failover time", shardId(), e);
        }
    }

    private void releaseQuietly() {
        try {
            if (!held.isLost()) {
                held.write(counter -> table.release(shardId(), counter, settings.workerId()), "release");
            }
        } catch (RuntimeException e) {
            log.debug("Release of {} failed: {}", shardId(), e.toString());
        }
    }
}
