package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {

    @Test
    void recordsTheConsumersMeasurementsTaggedWithTheApplication() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerMetrics metrics = new MicrometerMetrics(registry, "orders");
        metrics.processed("shard-1", 3, 300, 1_000_000);
        metrics.millisBehindLatest("shard-1", 1500);
        metrics.leasesHeld(2);
        metrics.leaseTaken();
        metrics.outsideShardRange(4);
        metrics.leaseTableWrite();

        assertThat(registry.get("shardwise.consumer.records.processed").tag("application", "orders").counter().count())
                .isEqualTo(3);
        assertThat(registry.get("shardwise.consumer.bytes.processed").counter().count()).isEqualTo(300);
        assertThat(registry.get("shardwise.consumer.millis.behind.latest").tag("shard", "shard-1").gauge().value())
                .isEqualTo(1500);
        assertThat(registry.get("shardwise.consumer.leases.held").gauge().value()).isEqualTo(2);
        assertThat(registry.get("shardwise.consumer.leases.taken").counter().count()).isEqualTo(1);
        assertThat(registry.get("shardwise.consumer.records.outside.shard.range").counter().count()).isEqualTo(4);
        assertThat(registry.get("shardwise.consumer.processing.latency").timer().count()).isEqualTo(1);
    }
}
