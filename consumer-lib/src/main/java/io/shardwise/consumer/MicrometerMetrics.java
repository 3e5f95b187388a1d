package io.shardwise.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Metrics in a Micrometer registry, tagged with the application name. */
final class MicrometerMetrics implements ConsumerMetrics {
    private final MeterRegistry registry;
    private final String application;
    private final Map<String, AtomicLong> behind = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger holes = new AtomicInteger();
    private final Counter taken;
    private final Counter stolen;
    private final Counter lost;
    private final Counter throttles;
    private final Counter writes;
    private final Counter scans;
    private final Counter outside;
    private final Counter gone;
    private final Counter records;
    private final Counter bytes;
    private final Timer processing;
    private final Timer checkpoint;

    MicrometerMetrics(MeterRegistry registry, String application) {
        this.registry = registry;
        this.application = application;
        registry.gauge("shardwise.consumer.leases.held", io.micrometer.core.instrument.Tags.of("application", application), held);
        registry.gauge("shardwise.consumer.hashkey.holes", io.micrometer.core.instrument.Tags.of("application", application), holes);
        taken = counter("shardwise.consumer.leases.taken");
        gone = counter("shardwise.consumer.shards.gone");
        stolen = counter("shardwise.consumer.leases.stolen");
        lost = counter("shardwise.consumer.leases.lost");
        throttles = counter("shardwise.consumer.dynamodb.throttles");
        writes = counter("shardwise.consumer.leasetable.writes");
        scans = counter("shardwise.consumer.leasetable.scans");
        outside = counter("shardwise.consumer.records.outside.shard.range");
        records = counter("shardwise.consumer.records.processed");
        bytes = counter("shardwise.consumer.bytes.processed");
        processing = Timer.builder("shardwise.consumer.processing.latency").tag("application", application).register(registry);
        checkpoint = Timer.builder("shardwise.consumer.checkpoint.latency").tag("application", application).register(registry);
    }

    private Counter counter(String name) {
        return Counter.builder(name).tag("application", application).register(registry);
    }

    @Override
    public void millisBehindLatest(String shardId, long millis) {
        behind.computeIfAbsent(shardId, id -> registry.gauge("shardwise.consumer.millis.behind.latest",
                io.micrometer.core.instrument.Tags.of("application", application, "shard", id), new AtomicLong()))
                .set(millis);
    }

    @Override
    public void processed(String shardId, int count, long byteCount, long nanos) {
        records.increment(count);
        bytes.increment(byteCount);
        processing.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void leasesHeld(int count) {
        held.set(count);
    }

    @Override
    public void leaseTaken() {
        taken.increment();
    }

    @Override
    public void leaseStolen() {
        stolen.increment();
    }

    @Override
    public void leaseLost() {
        lost.increment();
    }

    @Override
    public void checkpointed(long nanos) {
        checkpoint.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void dynamoThrottled() {
        throttles.increment();
    }

    @Override
    public void leaseTableWrite() {
        writes.increment();
    }

    @Override
    public void leaseTableScanned() {
        scans.increment();
    }

    @Override
    public void hashKeyRangeHoles(int count) {
        holes.set(count);
    }

    @Override
    public void outsideShardRange(int count) {
        outside.increment(count);
    }

    @Override
    public void shardGone() {
        gone.increment();
    }
}
