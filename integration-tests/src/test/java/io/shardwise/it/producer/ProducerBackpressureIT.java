package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shardwise.producer.BufferFullException;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * With the endpoint stalled, the producer holds at most {@code maxBufferedBytes}; {@code send} fails
 * fast or waits, as configured; when the endpoint answers again, everything accepted is stored.
 */
@ShardwiseTest
class ProducerBackpressureIT {
    private static final long MAX_BUFFERED = 1024 * 1024;

    @Test
    @StreamShards(2)
    void aStalledEndpointBoundsMemoryAndTheProducerRecovers(LocalEngines engines, TestStream stream,
                                                            KinesisClient kinesis) throws Exception {
        List<CompletableFuture<SendResult>> accepted = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).start();
             KinesisProducer failFast = producer(engines, proxy, stream, KinesisProducer.WhenFull.FAIL_FAST, Duration.ZERO);
             KinesisProducer blocking = producer(engines, proxy, stream, KinesisProducer.WhenFull.BLOCK, Duration.ofMillis(300))) {
            failFast.ready().get(30, TimeUnit.SECONDS);
            blocking.ready().get(30, TimeUnit.SECONDS);
            proxy.setStalled(true);

            int rejected = 0;
            for (int i = 0; i < 3_000 && rejected < 100; i++) {
                CompletableFuture<SendResult> future = failFast.send("key-" + (i % 10), Payloads.payload("key-" + (i % 10), i, 1_000));
                if (future.isCompletedExceptionally()) {
                    assertThat(catchThrowable(future::join)).hasCauseInstanceOf(BufferFullException.class)
                            .hasMessageContaining("maxBufferedBytes=" + MAX_BUFFERED);
                    rejected++;
                } else {
                    accepted.add(future);
                }
                assertThat(failFast.bufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED);
            }
            assertThat(rejected).isEqualTo(100);
            assertThat(accepted).hasSizeGreaterThan(500).allMatch(f -> !f.isDone());

            int blockingAccepted = 0;
            CompletableFuture<SendResult> refused = null;
            for (int i = 0; refused == null; i++) {
                CompletableFuture<SendResult> future = blocking.send("other", Payloads.payload("other", i, 1_000));
                if (future.isCompletedExceptionally()) {
                    refused = future; // after waiting maxBlockTime for room that never came
                } else {
                    accepted.add(future);
                    blockingAccepted++;
                }
                assertThat(blocking.bufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED);
            }
            assertThat(blockingAccepted).isPositive();
            assertThat(catchThrowable(refused::join)).hasCauseInstanceOf(BufferFullException.class)
                    .hasMessageContaining("maxBlockTime=300 ms");

            proxy.setStalled(false);
            failFast.flush().get(120, TimeUnit.SECONDS);
            blocking.flush().get(120, TimeUnit.SECONDS);
            assertThat(accepted).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(failFast.bufferedBytes()).isZero();
            SendResult after = failFast.send("key-0", Payloads.payload("key-0", 1_000_000, 1_000)).get(60, TimeUnit.SECONDS);
            assertThat(after.attempts()).hasSize(1);
        }
        assertThat(Payloads.readBackInOrder(kinesis, stream.name())).hasSize(accepted.size() + 1);
    }

    private static KinesisProducer producer(LocalEngines engines, FaultProxy proxy, TestStream stream,
                                            KinesisProducer.WhenFull whenFull, Duration maxBlock) {
        return KinesisProducer.builder().stream(stream.name()).endpoint(proxy.endpoint()).region(engines.region())
                .credentials(engines.credentials()).maxBufferedBytes(MAX_BUFFERED).whenFull(whenFull, maxBlock)
                .requestTimeout(Duration.ofSeconds(60)).recordTtl(Duration.ofSeconds(120)).build();
    }
}
