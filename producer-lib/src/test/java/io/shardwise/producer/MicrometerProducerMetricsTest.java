package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerProducerMetricsTest {
    @Test
    void aProducerWithARegistryReportsWhatItDid() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeKinesis kinesis = new FakeKinesis(2)) {
            kinesis.throttleProbability = 0.3;
            try (KinesisProducer producer = KinesisProducer.builder().stream("orders").client(kinesis)
                    .meterRegistry(registry).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                    .aggregationMaxBytes(1_000).shardRateLimit(0).build()) {
                producer.ready().get(5, TimeUnit.SECONDS);
                for (int i = 0; i < 1_000; i++) {
                    producer.send("k" + i, new byte[50]);
                }
                producer.flush().get(30, TimeUnit.SECONDS);
                assertThat(registry.get("shardwise.producer.buffered.bytes").gauge().value()).isZero();
            }
        }
        assertThat(registry.get("shardwise.producer.user.records.put").tag("stream", "orders").counter().count())
                .isEqualTo(1_000);
        assertThat(registry.get("shardwise.producer.kinesis.records.put").counter().count()).isBetween(10.0, 999.0);
        assertThat(registry.get("shardwise.producer.user.records.per.kinesis.record").summary().mean()).isGreaterThan(1);
        assertThat(registry.get("shardwise.producer.retries").counter().count()).isPositive();
        assertThat(registry.get("shardwise.producer.shard.throttles").counters()).isNotEmpty();
        assertThat(registry.get("shardwise.producer.request.latency").tag("outcome", "success").timer().count()).isPositive();
    }
}
