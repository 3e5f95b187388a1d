package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import io.shardwise.producer.ShardState;
import io.shardwise.it.support.StreamReader;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A split and then a merge while the producer sends: nothing is lost, each user record is read once on
 * a shard that owns its hash key (sub-records of aggregates built from the stale map are re-sent to
 * their shard), per-key order holds parent before child, and after the map refresh records land on the
 * shards the producer predicts.
 */
@ShardwiseTest
class ProducerReshardIT {
    @Test
    @StreamShards(2)
    void aSplitAndAMergeWhileSendingLoseNothingAndKeepOrder(LocalEngines engines, TestStream stream,
                                                            KinesisClient kinesis) throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KinesisProducer producer = KinesisProducer.builder().stream(stream.name())
                .endpoint(engines.kinesisEndpoint()).region(engines.region()).credentials(engines.credentials())
                .maxBufferedTime(Duration.ofMillis(20)).build()) {
            producer.ready().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 1_500; i++) {
                if (i == 500) {
                    Shard first = StreamReader.listShards(kinesis, stream.name()).get(0);
                    BigInteger start = new BigInteger(first.hashKeyRange().startingHashKey());
                    BigInteger end = new BigInteger(first.hashKeyRange().endingHashKey());
                    kinesis.splitShard(b -> b.streamName(stream.name()).shardToSplit(first.shardId())
                            .newStartingHashKey(start.add(end).shiftRight(1).toString()));
                    awaitActive(kinesis, stream);
                }
                if (i == 1_000) {
                    // Merge the upper child of the split with its neighbour, the stream's other original shard.
                    List<Shard> open = openShards(kinesis, stream);
                    Shard upperChild = open.stream().filter(s -> s.parentShardId() != null).max(
                            (a, b) -> new BigInteger(a.hashKeyRange().startingHashKey())
                                    .compareTo(new BigInteger(b.hashKeyRange().startingHashKey()))).orElseThrow();
                    Shard neighbour = open.stream().filter(s -> s.parentShardId() == null).findFirst().orElseThrow();
                    kinesis.mergeShards(b -> b.streamName(stream.name()).shardToMerge(upperChild.shardId())
                            .adjacentShardToMerge(neighbour.shardId()));
                    awaitActive(kinesis, stream);
                }
                String key = "key-" + (i % 60);
                keys.add(key);
                futures.add(producer.send(key, Payloads.payload(key, i, 100)));
                if (i % 50 == 0) {
                    Thread.sleep(20);
                }
            }
            producer.flush().get(120, TimeUnit.SECONDS);
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());

            // With the map refreshed, new records land where the producer predicts.
            List<Shard> open = openShards(kinesis, stream);
            List<CompletableFuture<SendResult>> after = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                after.add(producer.send("after-" + i, Payloads.payload("after-" + i, i, 50)));
            }
            producer.flush().get(60, TimeUnit.SECONDS);
            for (int i = 0; i < after.size(); i++) {
                BigInteger hash = HashKeys.ofPartitionKey("after-" + i);
                String owner = open.stream().filter(s -> HashKeyRange.of(s.hashKeyRange().startingHashKey(),
                        s.hashKeyRange().endingHashKey()).contains(hash)).findFirst().orElseThrow().shardId();
                assertThat(after.get(i).join().shardId()).isEqualTo(owner);
                assertThat(after.get(i).join().attempts()).hasSize(1);
            }
            assertThat(producer.shardStates()).extracting(ShardState::shardId)
                    .containsExactlyInAnyOrderElementsOf(open.stream().map(Shard::shardId).toList());
        }
        Map<String, Payloads.ReadBack> readBack = Payloads.readBackInOrder(kinesis, stream.name());
        assertThat(readBack).hasSize(1_600);
        for (int i = 0; i < futures.size(); i++) {
            SendResult result = futures.get(i).join();
            Payloads.ReadBack stored = readBack.get(keys.get(i) + "|" + i);
            assertThat(stored.shardId()).isEqualTo(result.shardId());
            assertThat(stored.sequenceNumber()).isEqualTo(result.sequenceNumber());
        }
    }

    private static List<Shard> openShards(KinesisClient kinesis, TestStream stream) {
        return StreamReader.listShards(kinesis, stream.name()).stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).toList();
    }

    private static void awaitActive(KinesisClient kinesis, TestStream stream) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (kinesis.describeStreamSummary(b -> b.streamName(stream.name())).streamDescriptionSummary()
                    .streamStatus() == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("stream " + stream.name() + " did not become ACTIVE within 30 s after resharding");
    }
}
