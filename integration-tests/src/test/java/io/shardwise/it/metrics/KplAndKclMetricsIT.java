package io.shardwise.it.metrics;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.MetricsGranularity;
import io.shardwise.producer.MetricsNames;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The producer under the KPL's metric names and the consumer under the KCL's, on the local engines:
 * the names, dimensions and units a dashboard reads, from a real stream of two shards and a real lease
 * table; and what a Prometheus registry exposes of them.
 */
@ShardwiseTest
@StreamShards(2)
class KplAndKclMetricsIT {
    private static final int RECORDS = 400;
    private static final int BYTES = 100;

    private static <M extends Meter> M series(MeterRegistry registry, String name, Class<M> type, String... tags) {
        List<Tag> wanted = Tags.of(tags).stream().toList();
        return registry.find(name).meters().stream().filter(m -> m.getId().getTags().equals(wanted)).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no series of " + name + " with exactly " + wanted));
    }

    private static KinesisProducer.Builder producer(LocalEngines engines, TestStream stream, MeterRegistry registry) {
        return KinesisProducer.builder().stream(stream.name()).endpoint(engines.kinesisEndpoint())
                .region(engines.region()).credentials(engines.credentials()).meterRegistry(registry)
                .metricsNames(MetricsNames.KPL);
    }

    private static void send(KinesisProducer producer) throws Exception {
        producer.ready().get(30, TimeUnit.SECONDS);
        for (int i = 0; i < RECORDS; i++) {
            producer.send("key-" + i, new byte[BYTES]);
        }
        producer.flush().get(60, TimeUnit.SECONDS);
    }

    @Test
    void producerAndConsumerPublishUnderTheKplsAndTheKclsNames(LocalEngines engines, TestStream stream,
                                                               LeaseTableName table) throws Exception {
        SimpleMeterRegistry kpl = new SimpleMeterRegistry();
        try (KinesisProducer producer = producer(engines, stream, kpl).build()) {
            send(producer);
        }
        String[] perStream = {"StreamName", stream.name()};
        assertThat(series(kpl, "UserRecordsPut", Counter.class).count()).isEqualTo(RECORDS);
        assertThat(series(kpl, "UserRecordsPut", Counter.class, perStream).count()).isEqualTo(RECORDS);
        Set<String> shards = kpl.find("UserRecordsPut").tagKeys("ShardId").counters().stream()
                .map(c -> c.getId().getTag("ShardId")).collect(Collectors.toSet());
        assertThat(shards).as("both shards of the stream").hasSize(2).allSatisfy(s -> assertThat(s).startsWith("shardId-"));
        DistributionSummary dataPut = series(kpl, "UserRecordsDataPut", DistributionSummary.class, perStream);
        assertThat(dataPut.totalAmount()).isEqualTo(RECORDS * BYTES);
        assertThat(dataPut.getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(series(kpl, "KinesisRecordsPut", Counter.class, perStream).count()).isPositive();
        assertThat(series(kpl, "UserRecordsPerKinesisRecord", DistributionSummary.class, perStream).mean())
                .as("aggregated").isGreaterThan(1);
        assertThat(series(kpl, "RequestTime", Timer.class, perStream).count()).isPositive();
        assertThat(series(kpl, "BufferingTime", Timer.class, perStream).count()).isEqualTo(RECORDS);
        assertThat(series(kpl, "UserRecordsReceived", Counter.class, perStream).count()).isEqualTo(RECORDS);

        SimpleMeterRegistry kcl = new SimpleMeterRegistry();
        Set<String> received = ConcurrentHashMap.newKeySet();
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(table.value())
                .streamName(stream.name()).kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("worker-1")
                .initialPosition(InitialPosition.trimHorizon()).meterRegistry(kcl)
                .metricsNames(io.shardwise.consumer.MetricsNames.KCL)
                .recordHandler(r -> received.add(r.partitionKey())).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> received.size() == RECORDS);
            String[] renewer = {"Operation", "RenewAllLeases", "WorkerIdentifier", "worker-1"};
            String[] taker = {"Operation", "LeaseTaker", "WorkerIdentifier", "worker-1"};
            await().atMost(Duration.ofSeconds(30)).until(() -> series(kcl, "CurrentLeases", Gauge.class, renewer).value() == 2);
            assertThat(series(kcl, "TakenLeases", Counter.class, taker).count()).isEqualTo(2);
            assertThat(series(kcl, "NumWorkers", Gauge.class, taker).value()).isEqualTo(1);
            assertThat(series(kcl, "TotalLeases", Gauge.class, taker).value()).isEqualTo(2);
        }
        java.util.Collection<Counter> processed = kcl.find("RecordsProcessed").tag("Operation", "ProcessTask").counters();
        assertThat(processed).hasSize(2).allSatisfy(c -> assertThat(c.getId().getTag("ShardId")).isIn(shards));
        assertThat(processed.stream().mapToDouble(Counter::count).sum()).isGreaterThanOrEqualTo(RECORDS);
        assertThat(kcl.find("DataBytesProcessed").summaries().stream().mapToDouble(DistributionSummary::totalAmount).sum())
                .isGreaterThanOrEqualTo(RECORDS * BYTES);
        assertThat(kcl.find("MillisBehindLatest").timers()).hasSize(2);
    }

    @Test
    void prometheusExposesTheKplNamesAtGlobalGranularity(LocalEngines engines, TestStream stream) throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KinesisProducer producer = producer(engines, stream, prometheus)
                .metricsGranularity(MetricsGranularity.GLOBAL).build()) {
            send(producer);
        }
        String scrape = prometheus.scrape();
        assertThat(scrape).contains("UserRecordsPut_total " + (double) RECORDS, "UserRecordsReceived_total " + (double) RECORDS,
                "UserRecordsDataPut_bytes_sum " + (double) RECORDS * BYTES, "BufferingTime_seconds_count " + RECORDS,
                "RequestTime_seconds_count", "UserRecordsPerKinesisRecord_count_sum " + (double) RECORDS,
                "UserRecordsPending_count 0.0");
    }
}
