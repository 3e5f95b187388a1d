package io.shardwise.lambda;

import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.lambda.LocalEventSourceMapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Shard ranges learned from the local Kinesis with ListShards, and an aggregate that straddles two
 * shards (as one packed for a stale shard map would) delivered through the local event source
 * mapping: its sub-records of the other shard are dropped by default, delivered on request.
 */
class KinesisShardHashRangesIT {

    private final LocalEngines engines = LocalEngines.shared();
    private final KinesisClient kinesis = engines.kinesisClient();

    /** A two-shard stream holding one aggregate on its first shard: a, b inside it, x, y of the second shard. */
    private String streamWithAStraddlingAggregate(List<Shard> shards) {
        String name = engines.uniqueName("lambda-ranges");
        String arn = engines.createStream(name, 2);
        shards.addAll(kinesis.listShards(b -> b.streamName(name)).shards());
        String firstStart = shards.get(0).hashKeyRange().startingHashKey();
        String secondStart = shards.get(1).hashKeyRange().startingHashKey();
        String secondPlusOne = new BigInteger(secondStart).add(BigInteger.ONE).toString();
        RecordAggregator aggregator = new RecordAggregator();
        aggregator.tryAdd("a", firstStart, "a".getBytes(StandardCharsets.UTF_8));
        aggregator.tryAdd("x", secondStart, "x".getBytes(StandardCharsets.UTF_8));
        aggregator.tryAdd("b", firstStart, "b".getBytes(StandardCharsets.UTF_8));
        aggregator.tryAdd("y", secondPlusOne, "y".getBytes(StandardCharsets.UTF_8));
        KinesisRecord aggregate = aggregator.emit();
        kinesis.putRecord(b -> b.streamName(name).partitionKey(aggregate.partitionKey()).explicitHashKey(firstStart)
                .data(SdkBytes.fromByteArray(aggregate.data())));
        return arn;
    }

    private List<String> deliver(String arn, KinesisBatchProcessor processor) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, arn,
                KinesisBatchHandler.forEachRecord((record, context) -> seen.add(record.text()), processor))
                .reportBatchItemFailures(true).start()) {
            mapping.awaitIdle(Duration.ofSeconds(60));
        }
        return seen;
    }

    @Test
    void rangesComeFromListShardsAndAnUnknownShardHasNone() {
        List<Shard> shards = new java.util.ArrayList<>();
        String arn = streamWithAStraddlingAggregate(shards);
        KinesisShardHashRanges ranges = KinesisShardHashRanges.of(kinesis);
        for (Shard shard : shards) {
            assertThat(ranges.hashKeyRange(arn, shard.shardId())).isEqualTo(HashKeyRange.of(
                    shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey()));
        }
        assertThat(ranges.hashKeyRange(arn, "shardId-000000000099")).isNull();
    }

    @Test
    void subRecordsOfAnotherShardAreDroppedWithTheLookup() throws Exception {
        String arn = streamWithAStraddlingAggregate(new java.util.ArrayList<>());
        assertThat(deliver(arn, KinesisBatchProcessor.builder().shardHashRanges(KinesisShardHashRanges.of(kinesis))
                .build())).containsExactly("a", "b");
    }

    @Test
    void deliverKeepsEverySubRecord() throws Exception {
        String arn = streamWithAStraddlingAggregate(new java.util.ArrayList<>());
        assertThat(deliver(arn, KinesisBatchProcessor.builder().outsideShardRange(OutsideShardRange.DELIVER)
                .shardHashRanges(KinesisShardHashRanges.of(kinesis)).build())).containsExactly("a", "x", "b", "y");
    }
}
