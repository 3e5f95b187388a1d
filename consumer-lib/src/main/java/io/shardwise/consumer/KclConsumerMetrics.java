package io.shardwise.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumer metrics under the KCL's names, units and dimensions, so dashboards and alarms built on the
 * KCL's CloudWatch metrics (namespace: the application name) read them unchanged:
 *
 * <ul>
 *   <li>Operation=ProcessTask and ShardId: RecordsProcessed (a Counter), DataBytesProcessed (a summary in
 *   bytes, one sample per batch), MillisBehindLatest (a Timer, one sample per read);</li>
 *   <li>Operation=RenewAllLeases and WorkerIdentifier: CurrentLeases (a Gauge), LostLeases (a Counter);</li>
 *   <li>Operation=LeaseTaker and WorkerIdentifier: TakenLeases (a Counter), and NumWorkers, TotalLeases and
 *   LeasesToTake (Gauges, as of the last round that read the lease table).</li>
 * </ul>
 *
 * <p>TotalLeases and LeasesToTake are DETAILED, the others SUMMARY, as in the KCL; a metric above the
 * chosen {@link MetricsLevel} is not registered.
 */
final class KclConsumerMetrics implements ConsumerMetrics {
    static final String OPERATION = "Operation";
    static final String SHARD_ID = "ShardId";
    static final String WORKER_IDENTIFIER = "WorkerIdentifier";
    static final String PROCESS_TASK = "ProcessTask";
    static final String RENEW_ALL_LEASES = "RenewAllLeases";
    static final String LEASE_TAKER = "LeaseTaker";

    private final MeterRegistry registry;
    private final Tags renewer;
    private final Tags taker;
    private final Map<String, ShardMeters> shards = new ConcurrentHashMap<>();
    private final AtomicInteger currentLeases = new AtomicInteger();
    private final AtomicInteger numWorkers = new AtomicInteger();
    private final AtomicInteger totalLeases = new AtomicInteger();
    private final AtomicInteger leasesToTake = new AtomicInteger();
    private final Counter lostLeases;
    private final Counter takenLeases;

    KclConsumerMetrics(MeterRegistry registry, String workerId, MetricsLevel level) {
        this.registry = registry;
        this.renewer = Tags.of(OPERATION, RENEW_ALL_LEASES, WORKER_IDENTIFIER, workerId);
        this.taker = Tags.of(OPERATION, LEASE_TAKER, WORKER_IDENTIFIER, workerId);
        gauge("CurrentLeases", renewer, currentLeases, "leases this worker holds");
        lostLeases = Counter.builder("LostLeases").tags(renewer)
                .description("leases this worker lost to another worker").register(registry);
        takenLeases = Counter.builder("TakenLeases").tags(taker)
                .description("leases this worker took (free or expired)").register(registry);
        gauge("NumWorkers", taker, numWorkers, "workers alive at the last lease round");
        if (level == MetricsLevel.DETAILED) {
            gauge("TotalLeases", taker, totalLeases, "leases in the lease table at the last lease round");
            gauge("LeasesToTake", taker, leasesToTake, "leases this worker tried to take or asked for at the last round");
        }
    }

    private void gauge(String name, Tags tags, AtomicInteger value, String description) {
        io.micrometer.core.instrument.Gauge.builder(name, value, AtomicInteger::get).tags(tags).baseUnit("count")
                .description(description).register(registry);
    }

    @Override
    public void millisBehindLatest(String shardId, long millis) {
        shard(shardId).behind.record(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void processed(String shardId, int records, long bytes, long nanos) {
        ShardMeters meters = shard(shardId);
        meters.records.increment(records);
        meters.bytes.record(bytes);
    }

    @Override
    public void leasesHeld(int count) {
        currentLeases.set(count);
    }

    @Override
    public void leaseTaken() {
        takenLeases.increment();
    }

    @Override
    public void leaseLost() {
        lostLeases.increment();
    }

    @Override
    public void leaseRound(int total, int workers, int toTake) {
        totalLeases.set(total);
        numWorkers.set(workers);
        leasesToTake.set(toTake);
    }

    private ShardMeters shard(String shardId) {
        ShardMeters meters = shards.get(shardId);
        return meters != null ? meters : shards.computeIfAbsent(shardId, id -> new ShardMeters(registry,
                Tags.of(OPERATION, PROCESS_TASK, SHARD_ID, id)));
    }

    /** The ProcessTask meters of one shard. */
    private static final class ShardMeters {
        final Counter records;
        final DistributionSummary bytes;
        final Timer behind;

        ShardMeters(MeterRegistry registry, Tags tags) {
            records = Counter.builder("RecordsProcessed").tags(tags)
                    .description("records delivered to the processor").register(registry);
            bytes = DistributionSummary.builder("DataBytesProcessed").tags(tags).baseUnit("bytes")
                    .description("bytes of the records delivered, per batch").register(registry);
            behind = Timer.builder("MillisBehindLatest").tags(tags)
                    .description("how far the last read was behind the tip of the shard").register(registry);
        }
    }
}
