package io.shardwise.cli;

import io.shardwise.kinesis.ListShardsPager;
import io.shardwise.kinesis.StreamReference;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Creates, reshards and deletes a stream, waiting for it to be ACTIVE after each change. */
final class StreamAdmin {

    private static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(3);

    private final KinesisClient kinesis;

    StreamAdmin(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    void create(String stream, int shards) {
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
        awaitActive(stream);
    }

    void delete(String stream) {
        kinesis.deleteStream(b -> b.streamName(stream).enforceConsumerDeletion(true));
    }

    static void deleteTable(DynamoDbClient dynamo, String table) {
        try {
            dynamo.deleteTable(b -> b.tableName(table));
        } catch (ResourceNotFoundException alreadyGone) {
            // nothing to delete
        }
    }

    /** Every shard of the stream (a name or an ARN), open and closed. */
    List<Shard> shards(String stream) {
        return new ListShardsPager(StreamReference.parse(stream)).listAll(kinesis::listShards);
    }

    /** The open shards, by starting hash key. */
    List<Shard> openShards(String stream) {
        return shards(stream).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .toList();
    }

    /** Splits the first open shard in the middle of its range; says what it did. */
    String splitFirst(String stream) {
        Shard shard = openShards(stream).get(0);
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        if (start.equals(end)) {
            throw new CliException("shard " + shard.shardId() + " covers one hash key and cannot be split");
        }
        BigInteger middle = start.add(end).add(BigInteger.ONE).shiftRight(1);
        List<String> before = ids(openShards(stream));
        kinesis.splitShard(b -> b.streamName(stream).shardToSplit(shard.shardId())
                .newStartingHashKey(middle.toString()));
        awaitActive(stream);
        List<String> children = ids(openShards(stream));
        children.removeAll(before);
        return "split " + shard.shardId() + " into " + String.join(" and ", children);
    }

    /** Merges the last two adjacent open shards; says what it did. */
    String mergeLastAdjacent(String stream) {
        List<Shard> open = openShards(stream);
        for (int i = open.size() - 2; i >= 0; i--) {
            Shard low = open.get(i);
            Shard high = open.get(i + 1);
            BigInteger lowEnd = new BigInteger(low.hashKeyRange().endingHashKey());
            if (lowEnd.add(BigInteger.ONE).equals(new BigInteger(high.hashKeyRange().startingHashKey()))) {
                List<String> before = ids(open);
                kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(low.shardId())
                        .adjacentShardToMerge(high.shardId()));
                awaitActive(stream);
                List<String> child = ids(openShards(stream));
                child.removeAll(before);
                return "merged " + low.shardId() + " and " + high.shardId() + " into " + String.join(", ", child);
            }
        }
        throw new CliException("stream " + stream + " has no two adjacent open shards to merge");
    }

    private void awaitActive(String stream) {
        long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
        while (true) {
            StreamStatus status = kinesis.describeStreamSummary(b -> b.streamName(stream))
                    .streamDescriptionSummary().streamStatus();
            if (status == StreamStatus.ACTIVE) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("stream " + stream + " is still " + status + " after " + ACTIVE_TIMEOUT.toSeconds()
                        + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for stream " + stream, e);
            }
        }
    }

    private static List<String> ids(List<Shard> shards) {
        return new ArrayList<>(shards.stream().map(Shard::shardId).toList());
    }
}
