package io.shardwise.it.support;

import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Resharding steps the tests share: open shards, a split in the middle of a shard's range, and the wait for ACTIVE. */
public final class Reshard {
    private Reshard() {
    }

    public static List<Shard> openShards(KinesisClient kinesis, String stream) {
        return StreamReader.listShards(kinesis, stream).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).toList();
    }

    /** Splits {@code shard} at the middle of its hash key range and waits until the stream is ACTIVE again. */
    public static void splitInHalf(KinesisClient kinesis, String stream, Shard shard) {
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        kinesis.splitShard(b -> b.streamName(stream).shardToSplit(shard.shardId())
                .newStartingHashKey(start.add(end).shiftRight(1).toString()));
        awaitActive(kinesis, stream);
    }

    public static void awaitActive(KinesisClient kinesis, String stream) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> kinesis
                .describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE);
    }
}
