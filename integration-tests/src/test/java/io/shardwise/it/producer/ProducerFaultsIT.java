package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultKind;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.producer.Attempt;
import io.shardwise.producer.HotKey;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.RecordExpiredException;
import io.shardwise.producer.SendResult;
import io.shardwise.producer.ShardState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The producer through the fault proxy: throttling, server errors, latency, dropped connections and the
 * real per-shard limits. Nothing is lost, every future completes, per-key order holds (ordered mode),
 * and a record whose time to live runs out fails with the attempts that were made.
 */
@ShardwiseTest
class ProducerFaultsIT {
    private static KinesisProducer.Builder producerThrough(LocalEngines engines, FaultProxy proxy, TestStream stream) {
        return KinesisProducer.builder().stream(stream.name()).endpoint(proxy.endpoint()).region(engines.region())
                .credentials(engines.credentials()).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500));
    }

    @Test
    @StreamShards(4)
    void nothingIsLostAndOrderHoldsThroughThrottlingErrorsLatencyAndDroppedConnections(
            LocalEngines engines, TestStream stream, KinesisClient kinesis) throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(11)
                .throttleEntries(0.10).serverErrors("PutRecords", 0.01, 0.01)
                .latency("PutRecords", Duration.ofMillis(15)).dropConnections("PutRecords", 0.02).start();
             KinesisProducer producer = producerThrough(engines, proxy, stream).aggregationMaxBytes(4_096).build()) {
            producer.ready().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 3_000; i++) {
                String key = "key-" + (i % 50);
                futures.add(producer.send(key, Payloads.payload(key, i, 100)));
            }
            producer.flush().get(120, TimeUnit.SECONDS);
            var counts = proxy.counts();
            assertThat(counts.injected(FaultKind.THROTTLED_ENTRY)).isPositive();
            assertThat(counts.injected(FaultKind.SERVER_ERROR_500) + counts.injected(FaultKind.SERVER_ERROR_503)
                    + counts.injected(FaultKind.DROPPED_CONNECTION)).isPositive();
        }
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        List<SendResult> retried = futures.stream().map(CompletableFuture::join).filter(r -> r.attempts().size() > 1).toList();
        assertThat(retried).isNotEmpty();
        assertThat(retried.get(0).attempts().get(0).errorCode()).isNotNull();
        assertThat(Payloads.readBackInOrder(kinesis, stream.name())).hasSize(3_000);
    }

    @Test
    @StreamShards(1)
    void aRecordWhoseTimeToLiveRunsOutFailsWithItsAttemptsAndTheProducerRecovers(
            LocalEngines engines, TestStream stream, KinesisClient kinesis) throws Exception {
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).start();
             KinesisProducer producer = producerThrough(engines, proxy, stream).recordTtl(Duration.ofMillis(1_500)).build()) {
            producer.ready().get(30, TimeUnit.SECONDS);
            proxy.setRules(proxy.rules().toBuilder().throttleEntries(1.0).build());
            CompletableFuture<SendResult> doomed = producer.send("k", Payloads.payload("k", 0, 50));
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(doomed::join);
            assertThat(failure).isInstanceOf(CompletionException.class).hasCauseInstanceOf(RecordExpiredException.class);
            RecordExpiredException expired = (RecordExpiredException) failure.getCause();
            assertThat(expired.attempts()).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(a -> assertThat(a.errorCode()).isEqualTo("ProvisionedThroughputExceededException"));
            assertThat(expired).hasMessageContaining("1500 ms").hasMessageContaining("ProvisionedThroughputExceededException");

            proxy.setRules(proxy.rules().toBuilder().throttleEntries(0).build());
            SendResult after = producer.send("k", Payloads.payload("k", 1, 50)).get(30, TimeUnit.SECONDS);
            assertThat(after.attempts()).extracting(Attempt::succeeded).containsExactly(true);
        }
        assertThat(Payloads.readBackInOrder(kinesis, stream.name())).containsOnlyKeys("k|1");
    }

    /**
     * Unordered mode: kinesis-mock stores only about 100 KB/s per shard, so a producer with one request in
     * flight per shard (ordered mode) can never outrun the real limits against it; several requests in
     * flight per shard can. Per-key order under throttling is covered by the first test.
     */
    @Test
    @StreamShards(2)
    void aHotKeyUnderTheRealShardLimitsIsReportedAndTheLimiterLearnsTheLimit(LocalEngines engines, TestStream stream,
                                                                          KinesisClient kinesis) throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        List<ShardState> hotSeen = new ArrayList<>();
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).shardLimits(true).start();
             KinesisProducer producer = producerThrough(engines, proxy, stream).ordered(false)
                     .maxInFlightRequestsPerShard(4).shardRateLimit(3.0).aggregationMaxBytes(128 * 1024).build()) {
            producer.ready().get(30, TimeUnit.SECONDS);
            // About 2 MiB/s offered on one key for 2.5 s: twice the shard's write limit. The producer's own
            // ceiling is three times the limit, so only the shard's throttles can hold it back: its
            // limiter must learn the real limit from them.
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2_500)) {
                futures.add(producer.send("hot", Payloads.payload("hot", n, 1_000)));
                futures.add(producer.send("cold-" + (n % 20), Payloads.payload("cold-" + (n % 20), n, 100)));
                n++;
                if (n % 40 == 0) {
                    Thread.sleep(10);
                    if (hotSeen.isEmpty()) {
                        hotSeen.addAll(producer.hotShards());
                    }
                }
            }
            producer.flush().get(120, TimeUnit.SECONDS);
            assertThat(proxy.counts().injected(FaultKind.SHARD_LIMIT_ENTRY)).isPositive();
            assertThat(producer.shardStates()).anyMatch(s -> s.throttles() > 0 && s.byteRateLimit() < 3.0 * 1024 * 1024);
        }
        assertThat(hotSeen).isNotEmpty();
        assertThat(hotSeen.get(0).hotKeys()).extracting(HotKey::partitionKey).first().isEqualTo("hot");
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(Payloads.readBack(kinesis, stream.name())).hasSize(futures.size());
    }
}
