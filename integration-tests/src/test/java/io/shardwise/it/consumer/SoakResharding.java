package io.shardwise.it.consumer;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The soak's reshards: split the lowest open shard in two, merge the lowest two adjacent open shards. */
record SoakResharding(KinesisClient kinesis, String stream) {

    String split() throws InterruptedException {
        Shard lowest = open().get(0);
        BigInteger from = new BigInteger(lowest.hashKeyRange().startingHashKey());
        BigInteger to = new BigInteger(lowest.hashKeyRange().endingHashKey());
        kinesis.splitShard(b -> b.streamName(stream).shardToSplit(lowest.shardId())
                .newStartingHashKey(from.add(to).add(BigInteger.ONE).shiftRight(1).toString()));
        awaitActive();
        return "split " + lowest.shardId();
    }

    String merge() throws InterruptedException {
        List<Shard> open = open();
        for (int i = 0; i + 1 < open.size(); i++) {
            Shard low = open.get(i);
            Shard high = open.get(i + 1);
            if (new BigInteger(low.hashKeyRange().endingHashKey()).add(BigInteger.ONE)
                    .equals(new BigInteger(high.hashKeyRange().startingHashKey()))) {
                kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(low.shardId())
                        .adjacentShardToMerge(high.shardId()));
                awaitActive();
                return "merge " + low.shardId() + " + " + high.shardId();
            }
        }
        throw new IllegalStateException("no two adjacent open shards in " + stream);
    }

    /** The open shards by starting hash key (the streams of a soak stay below one ListShards page). */
    private List<Shard> open() {
        return kinesis.listShards(b -> b.streamName(stream)).shards().stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .toList();
    }

    private void awaitActive() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                    == StreamStatus.ACTIVE) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(stream + " did not become ACTIVE within 60 s");
    }
}
