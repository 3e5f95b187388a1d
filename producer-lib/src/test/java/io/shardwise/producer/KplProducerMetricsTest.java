package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The KPL's metric names, dimensions and units, read back from a registry after real sends. */
class KplProducerMetricsTest {
    private static final int RECORDS = 1_000;
    private static final int BYTES = 50;

    private static KinesisProducer.Builder producer(FakeKinesis kinesis, MeterRegistry registry) {
        return KinesisProducer.builder().stream("orders").client(kinesis).meterRegistry(registry)
                .metricsNames(MetricsNames.KPL).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                .aggregationMaxBytes(1_000).shardRateLimit(0);
    }

    private static void sendAll(KinesisProducer producer) throws Exception {
        producer.ready().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < RECORDS; i++) {
            producer.send("k" + i, new byte[BYTES]);
        }
        producer.flush().get(30, TimeUnit.SECONDS);
    }

    /** The dimension names of every series of a metric. */
    private static Set<Set<String>> dimensions(MeterRegistry registry, String name) {
        return registry.find(name).meters().stream()
                .map(m -> m.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()))
                .collect(Collectors.toSet());
    }

    /** The series of a metric with exactly these dimensions (a search by tags matches series with more). */
    private static <M extends Meter> M series(MeterRegistry registry, String name, Class<M> type, String... tags) {
        List<Tag> wanted = Tags.of(tags).stream().toList();
        return registry.find(name).meters().stream().filter(m -> m.getId().getTags().equals(wanted)).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no series of " + name + " with exactly " + wanted));
    }

    private static <M extends Meter> M global(MeterRegistry registry, String name, Class<M> type) {
        return series(registry, name, type);
    }

    @Test
    void atShardGranularityEveryMetricIsPublishedGloballyPerStreamAndPerShardUnderTheKplsNames() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeKinesis kinesis = new FakeKinesis(2)) {
            kinesis.throttleProbability = 0.3;
            try (KinesisProducer producer = producer(kinesis, registry).build()) {
                sendAll(producer);
                assertThat(global(registry, "UserRecordsPending", Gauge.class).value()).isZero();
                assertThat(registry.get("UserRecordsPending").tag("StreamName", "orders").gauge().value()).isZero();
            }
        }
        Set<String> global = Set.of();
        Set<String> stream = Set.of("StreamName");
        Set<String> shard = Set.of("StreamName", "ShardId");
        for (String name : List.of("UserRecordsPut", "UserRecordsDataPut", "KinesisRecordsPut", "KinesisRecordsDataPut",
                "AllErrors", "RetriesPerRecord", "BufferingTime", "UserRecordsPerKinesisRecord")) {
            assertThat(dimensions(registry, name)).as(name).containsExactlyInAnyOrder(global, stream, shard);
        }
        for (String name : List.of("UserRecordsReceived", "UserRecordsPending", "RequestTime",
                "KinesisRecordsPerPutRecordsRequest", "UserRecordsPerPutRecordsRequest")) {
            assertThat(dimensions(registry, name)).as(name + " knows no shard").containsExactlyInAnyOrder(global, stream);
        }
        assertThat(dimensions(registry, "ErrorsByCode")).contains(Set.of("ErrorCode"), Set.of("ErrorCode", "StreamName"),
                Set.of("ErrorCode", "StreamName", "ShardId"));
        assertThat(registry.find("shardwise.producer.user.records.put").meters()).isEmpty();

        // Counts: every series of a level adds up to the global one.
        assertThat(global(registry, "UserRecordsReceived", Counter.class).count()).isEqualTo(RECORDS);
        assertThat(global(registry, "UserRecordsPut", Counter.class).count()).isEqualTo(RECORDS);
        assertThat(registry.get("UserRecordsPut").tag("StreamName", "orders").tagKeys("ShardId").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(RECORDS);
        assertThat(registry.get("UserRecordsPut").tag("ShardId", "shardId-000000000001").counter().count()).isPositive();
        assertThat(series(registry, "ErrorsByCode", Counter.class, "ErrorCode",
                "ProvisionedThroughputExceededException").count()).isEqualTo(global(registry, "AllErrors", Counter.class).count()).isPositive();

        // Units: bytes for data, counts for the rest, times as timers (milliseconds in CloudWatch).
        var dataPut = global(registry, "UserRecordsDataPut", DistributionSummary.class);
        assertThat(dataPut.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(dataPut.totalAmount()).isEqualTo(RECORDS * BYTES);
        assertThat(global(registry, "KinesisRecordsDataPut", DistributionSummary.class).getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(global(registry, "RetriesPerRecord", DistributionSummary.class).getId().getBaseUnit()).isEqualTo("count");
        var retries = global(registry, "RetriesPerRecord", DistributionSummary.class);
        assertThat(retries.count()).as("one sample per record").isEqualTo(RECORDS);
        assertThat(retries.totalAmount()).as("throttled records were retried").isPositive();
        assertThat(global(registry, "UserRecordsPerKinesisRecord", DistributionSummary.class).mean()).isGreaterThan(1);
        assertThat(global(registry, "KinesisRecordsPerPutRecordsRequest", DistributionSummary.class).mean()).isGreaterThanOrEqualTo(1);
        Timer buffering = global(registry, "BufferingTime", Timer.class);
        assertThat(buffering.getId().getType()).isEqualTo(Meter.Type.TIMER);
        assertThat(buffering.count()).as("one sample per attempt").isGreaterThan(RECORDS);
        assertThat(global(registry, "RequestTime", Timer.class).count()).isPositive();
    }

    @Test
    void globalGranularityPublishesNoStreamOrShardAndSummaryLevelOnlyTheKplsSummaryMetrics() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeKinesis kinesis = new FakeKinesis(2);
             KinesisProducer producer = producer(kinesis, registry).metricsGranularity(MetricsGranularity.GLOBAL)
                     .metricsLevel(MetricsLevel.SUMMARY).build()) {
            sendAll(producer);
        }
        Set<String> names = registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder("UserRecordsPut", "KinesisRecordsPut", "BufferingTime");
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags()).isEmpty());
    }

    @Test
    void recordsWhoseTimeRanOutCountAsExpiredForTheStream() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeKinesis kinesis = new FakeKinesis(1);
             KinesisProducer producer = producer(kinesis, registry).recordTtl(Duration.ofMillis(200)).build()) {
            producer.ready().get(5, TimeUnit.SECONDS);
            kinesis.throttleProbability = 1.0;
            List<CompletableFuture<SendResult>> sent = List.of(producer.send("a", new byte[10]), producer.send("b", new byte[10]));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).handle((r, e) -> null).get(10, TimeUnit.SECONDS);
        }
        assertThat(global(registry, "UserRecordExpired", Counter.class).count()).isEqualTo(2);
        assertThat(registry.get("UserRecordExpired").tag("StreamName", "orders").counter().count()).isEqualTo(2);
        assertThat(global(registry, "RetriesPerRecord", DistributionSummary.class).count()).isEqualTo(2);
        assertThat(registry.find("UserRecordsPut").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void producersOnOneRegistryAddUpTheirPendingRecordsInOneGauge() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeKinesis kinesis = new FakeKinesis(1);
             KinesisProducer first = producer(kinesis, registry).build();
             KinesisProducer second = producer(kinesis, registry).build()) {
            first.ready().get(5, TimeUnit.SECONDS);
            second.ready().get(5, TimeUnit.SECONDS);
            kinesis.stall();
            first.send("a", new byte[10]);
            second.send("b", new byte[10]);
            second.send("c", new byte[10]);
            assertThat(registry.find("UserRecordsPending").gauges()).hasSize(2);
            assertThat(global(registry, "UserRecordsPending", Gauge.class).value()).isEqualTo(3);
            kinesis.resume();
            first.flush().get(10, TimeUnit.SECONDS);
            second.flush().get(10, TimeUnit.SECONDS);
        }
    }
}
