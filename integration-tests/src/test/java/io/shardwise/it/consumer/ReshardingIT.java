package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static io.shardwise.it.support.Reshard.awaitActive;
import static io.shardwise.it.support.Reshard.openShards;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.ShardwiseConsumer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A split and then a merge while an ordered writer writes: two workers finish every parent before
 * its children start, so each key's records are processed in order across both reshards, and none
 * is lost.
 */
@ShardwiseTest
@StreamShards(1)
class ReshardingIT {

    @Test
    void splitAndMergeKeepPerKeyOrderAndLoseNothing(LocalEngines engines, TestStream stream, LeaseTableName table)
            throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        Received received = new Received();
        List<String> written;
        try (ContinuousWriter writer = new ContinuousWriter(kinesis, stream.name(), 16, 16, 100);
             ShardwiseConsumer a = LocalWorkers.receiving(engines, stream, table, "a", received);
             ShardwiseConsumer b = LocalWorkers.receiving(engines, stream, table, "b", received)) {
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() > 50);

            String parent = openShards(kinesis, stream.name()).get(0).shardId();
            kinesis.splitShard(r -> r.streamName(stream.name()).shardToSplit(parent)
                    .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
            awaitActive(kinesis, stream.name());
            await().atMost(Duration.ofSeconds(60)).until(() -> openShards(kinesis, stream.name()).size() == 2);
            // Let both children be read for a while before merging them.
            int beforeMerge = (int) received.distinctPayloads();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads() > beforeMerge + 100);

            List<Shard> children = openShards(kinesis, stream.name());
            Shard low = children.get(0).hashKeyRange().startingHashKey().equals("0") ? children.get(0) : children.get(1);
            Shard high = low == children.get(0) ? children.get(1) : children.get(0);
            kinesis.mergeShards(r -> r.streamName(stream.name()).shardToMerge(low.shardId())
                    .adjacentShardToMerge(high.shardId()));
            awaitActive(kinesis, stream.name());
            await().atMost(Duration.ofSeconds(60)).until(() -> openShards(kinesis, stream.name()).size() == 1);
            String merged = openShards(kinesis, stream.name()).get(0).shardId();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.all().stream()
                    .filter(d -> d.record().shardId().equals(merged)).count() > 50);
            written = writer.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads() == written.size());

            Set<String> shardsSeen = received.all().stream().map(d -> d.record().shardId()).collect(Collectors.toSet());
            assertThat(shardsSeen).contains(parent, low.shardId(), high.shardId(), merged);
        }
        assertThat(received.payloads()).containsExactlyInAnyOrderElementsOf(written);
        ConsumerDeliveryIT.assertPerKeyOrder(received);
        var leases = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value());
        assertThat(leases.get(merged(leases))).isNotNull();
    }

    private static String merged(java.util.Map<String, ?> leases) {
        return leases.keySet().stream().max(String::compareTo).orElseThrow();
    }
}
