package io.shardwise.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Producer metrics in a Micrometer registry, all named {@code shardwise.producer.*} and tagged with the
 * stream. Loaded only when the user gives a registry, so Micrometer stays an optional dependency.
 */
final class MicrometerProducerMetrics implements ProducerMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter put;
    private final Counter failed;
    private final Counter expired;
    private final Counter kinesisRecords;
    private final Counter kinesisBytes;
    private final Counter retries;
    private final DistributionSummary userRecordsPerKinesisRecord;
    private final Timer requestsOk;
    private final Timer requestsFailed;

    MicrometerProducerMetrics(MeterRegistry registry, String stream) {
        this.registry = registry;
        this.tags = Tags.of("stream", stream);
        this.put = counter("shardwise.producer.user.records.put", "user records stored");
        this.failed = counter("shardwise.producer.user.records.failed", "user records failed with a final error");
        this.expired = counter("shardwise.producer.user.records.expired", "user records whose time to live ran out");
        this.kinesisRecords = counter("shardwise.producer.kinesis.records.put", "Kinesis records stored");
        this.kinesisBytes = counter("shardwise.producer.kinesis.bytes.put", "bytes of Kinesis records stored");
        this.retries = counter("shardwise.producer.retries", "user records put back for another attempt");
        this.userRecordsPerKinesisRecord = DistributionSummary.builder("shardwise.producer.user.records.per.kinesis.record")
                .description("aggregation ratio").tags(tags).register(registry);
        this.requestsOk = Timer.builder("shardwise.producer.request.latency").tags(tags).tag("outcome", "success")
                .description("PutRecords latency").register(registry);
        this.requestsFailed = Timer.builder("shardwise.producer.request.latency").tags(tags).tag("outcome", "failure")
                .description("PutRecords latency").register(registry);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Override
    public void userRecordsPut(int count) {
        put.increment(count);
    }

    @Override
    public void userRecordsFailed(int count) {
        failed.increment(count);
    }

    @Override
    public void userRecordsExpired(int count) {
        expired.increment(count);
    }

    @Override
    public void kinesisRecordPut(int userRecords, int bytes) {
        kinesisRecords.increment();
        kinesisBytes.increment(bytes);
        userRecordsPerKinesisRecord.record(userRecords);
    }

    @Override
    public void retries(int count) {
        retries.increment(count);
    }

    @Override
    public void throttled(String shardId) {
        Counter.builder("shardwise.producer.shard.throttles").description("throttles per shard")
                .tags(tags).tag("shard", shardId).register(registry).increment();
    }

    @Override
    public void requestLatency(long nanos, boolean success) {
        (success ? requestsOk : requestsFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void hotShard(String shardId) {
        Counter.builder("shardwise.producer.shard.hot").description("measuring windows in which a shard was hot")
                .tags(tags).tag("shard", shardId).register(registry).increment();
    }

    @Override
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true).register(registry);
    }
}
