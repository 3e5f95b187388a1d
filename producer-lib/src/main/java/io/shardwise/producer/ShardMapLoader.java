package io.shardwise.producer;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.kinesis.ListShardsPager;
import io.shardwise.kinesis.StreamReference;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Reads the stream's open shards with ListShards, following every page. A shard is open when its
 * sequence number range has no end; closed parents of a split or merge are left out, since new
 * records land on their children.
 */
final class ShardMapLoader {
    private final KinesisAsyncClient kinesis;
    private final ListShardsPager pager;

    ShardMapLoader(KinesisAsyncClient kinesis, StreamReference stream) {
        this.kinesis = kinesis;
        this.pager = new ListShardsPager(stream);
    }

    CompletableFuture<ShardMap> load() {
        return pager.listAllAsync(kinesis::listShards).thenApply(shards -> ShardMap.of(shards.stream()
                .filter(s -> s.sequenceNumberRange() == null || s.sequenceNumberRange().endingSequenceNumber() == null)
                .map(s -> new ShardMap.Shard(s.shardId(), HashKeyRange.of(s.hashKeyRange().startingHashKey(),
                        s.hashKeyRange().endingHashKey())))
                .toList()));
    }
}
