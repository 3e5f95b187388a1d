package io.shardwise.consumer;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The KCL's metric names, dimensions and units, read back from a registry. */
class KclConsumerMetricsTest {

    /** The series of a metric with exactly these dimensions (a search by tags matches series with more). */
    private static <M extends Meter> M series(MeterRegistry registry, String name, Class<M> type, String... tags) {
        List<Tag> wanted = Tags.of(tags).stream().toList();
        return registry.find(name).meters().stream().filter(m -> m.getId().getTags().equals(wanted)).map(type::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no series of " + name + " with exactly " + wanted));
    }

    @Test
    void processTaskMetricsArePerShardAndLeaseMetricsPerWorker() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KclConsumerMetrics metrics = new KclConsumerMetrics(registry, "worker-1", MetricsLevel.DETAILED);
        metrics.processed("shardId-000000000001", 3, 300, 1_000_000);
        metrics.processed("shardId-000000000001", 2, 100, 1_000_000);
        metrics.millisBehindLatest("shardId-000000000001", 1500);
        metrics.leasesHeld(2);
        metrics.leaseTaken();
        metrics.leaseLost();
        metrics.leaseRound(8, 3, 1);

        String[] shard = {"Operation", "ProcessTask", "ShardId", "shardId-000000000001"};
        assertThat(series(registry, "RecordsProcessed", Counter.class, shard).count()).isEqualTo(5);
        DistributionSummary bytes = series(registry, "DataBytesProcessed", DistributionSummary.class, shard);
        assertThat(bytes.totalAmount()).isEqualTo(400);
        assertThat(bytes.count()).as("one sample per batch").isEqualTo(2);
        assertThat(bytes.getId().getBaseUnit()).isEqualTo("bytes");
        Timer behind = series(registry, "MillisBehindLatest", Timer.class, shard);
        assertThat(behind.max(TimeUnit.MILLISECONDS)).isEqualTo(1500);

        String[] renewer = {"Operation", "RenewAllLeases", "WorkerIdentifier", "worker-1"};
        String[] taker = {"Operation", "LeaseTaker", "WorkerIdentifier", "worker-1"};
        assertThat(series(registry, "CurrentLeases", Gauge.class, renewer).value()).isEqualTo(2);
        assertThat(series(registry, "CurrentLeases", Gauge.class, renewer).getId().getBaseUnit()).isEqualTo("count");
        assertThat(series(registry, "LostLeases", Counter.class, renewer).count()).isEqualTo(1);
        assertThat(series(registry, "TakenLeases", Counter.class, taker).count()).isEqualTo(1);
        assertThat(series(registry, "TotalLeases", Gauge.class, taker).value()).isEqualTo(8);
        assertThat(series(registry, "NumWorkers", Gauge.class, taker).value()).isEqualTo(3);
        assertThat(series(registry, "LeasesToTake", Gauge.class, taker).value()).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getName()).doesNotContain("."));
    }

    @Test
    void summaryLevelLeavesOutTheKclsDetailedMetrics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KclConsumerMetrics metrics = new KclConsumerMetrics(registry, "worker-1", MetricsLevel.SUMMARY);
        metrics.processed("shardId-000000000001", 1, 10, 1);
        metrics.leaseRound(8, 3, 1);

        Set<String> names = registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toSet());
        assertThat(names).contains("RecordsProcessed", "CurrentLeases", "NumWorkers").doesNotContain("TotalLeases",
                "LeasesToTake");
    }

    @Test
    void theBuilderPublishesUnderTheKclsNamesWhenAsked() {
        SimpleMeterRegistry kcl = new SimpleMeterRegistry();
        SimpleMeterRegistry shardwise = new SimpleMeterRegistry();
        try (KinesisAsyncClient kinesis = KinesisAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
             DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder().applicationName("orders-app")
                    .streamName("orders").kinesisClient(kinesis).dynamoDbClient(dynamo).workerId("w-1")
                    .recordHandler(record -> { });
            builder.meterRegistry(kcl).metricsNames(MetricsNames.KCL).build();
            builder.meterRegistry(shardwise).metricsNames(MetricsNames.SHARDWISE).build();
        }
        assertThat(series(kcl, "CurrentLeases", Gauge.class, "Operation", "RenewAllLeases", "WorkerIdentifier", "w-1"))
                .isNotNull();
        assertThat(kcl.find("shardwise.consumer.leases.held").meters()).isEmpty();
        assertThat(shardwise.find("shardwise.consumer.leases.held").meters()).isNotEmpty();
        assertThat(shardwise.find("CurrentLeases").meters()).isEmpty();
    }
}
