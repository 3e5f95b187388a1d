package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultKind;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import io.shardwise.producer.ShardState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Issue 15 through the test kit's shard-limit proxy (1 MiB/s and 1,000 records/s per shard, a strict
 * one-second bucket, per-entry ProvisionedThroughputExceededException): producers at their defaults
 * share one shard without coordination, offered together more than its byte limit. Each producer's
 * limiter learns its share from the throttles, every record is stored once and in per-key order,
 * nothing expires. The figures (throttled entries, each producer's allowance) are printed, not
 * asserted: kinesis-mock's speed and the machine's load set them; the benchmark measures them.
 */
@ShardwiseTest
class ProducerShardLimitIT {
    private static final Logger log = LoggerFactory.getLogger(ProducerShardLimitIT.class);
    private static final int PRODUCERS = 3;
    private static final int RECORD_BYTES = 2_000;

    @Test
    @StreamShards(1)
    void producersSharingAShardAtItsLimitLearnTheirShareAndLoseNothing(LocalEngines engines, TestStream stream,
                                                                        KinesisClient kinesis) throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        List<ShardState> finalStates = new ArrayList<>();
        long throttledEntries;
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).shardLimits(true).start()) {
            List<KinesisProducer> producers = new ArrayList<>();
            try {
                for (int p = 0; p < PRODUCERS; p++) {
                    producers.add(KinesisProducer.builder().stream(stream.name()).endpoint(proxy.endpoint())
                            .region(engines.region()).credentials(engines.credentials()).build());
                }
                for (KinesisProducer producer : producers) {
                    producer.ready().get(30, TimeUnit.SECONDS);
                }
                // Each producer offers up to 1 MB/s (5 records of 2,000 bytes per 10 ms tick; the ticks run
                // slower on a loaded machine) for 5 s, on keys of its own: together up to three times the
                // shard's 1 MiB/s.
                long start = System.nanoTime();
                int n = 0;
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
                    for (int p = 0; p < PRODUCERS; p++) {
                        for (int r = 0; r < 5; r++) {
                            String key = "p" + p + "-key-" + ((n + r) % 10);
                            futures.add(producers.get(p).send(key, Payloads.payload(key, n + r, RECORD_BYTES)));
                        }
                    }
                    n += 5;
                    Thread.sleep(10);
                }
                for (KinesisProducer producer : producers) {
                    producer.flush().get(180, TimeUnit.SECONDS);
                    finalStates.add(producer.shardStates().get(0));
                }
            } finally {
                producers.forEach(KinesisProducer::close);
            }
            throttledEntries = proxy.counts().injected(FaultKind.SHARD_LIMIT_ENTRY);
        }
        log.info("{} producers, {} records of {} bytes: {} entries throttled by the shard limit; allowances at the end "
                + "(bytes/s): {}", PRODUCERS, futures.size(), RECORD_BYTES, throttledEntries,
                finalStates.stream().map(s -> Math.round(s.byteRateLimit()) + " after " + s.throttles() + " throttles").toList());

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(Payloads.readBackInOrder(kinesis, stream.name())).hasSize(futures.size());
        // The shard said no, and the producers that heard it lowered their allowance below the limit.
        assertThat(throttledEntries).isPositive();
        assertThat(finalStates).anyMatch(s -> s.throttles() > 0 && s.byteRateLimit() < 1024 * 1024);
    }
}
