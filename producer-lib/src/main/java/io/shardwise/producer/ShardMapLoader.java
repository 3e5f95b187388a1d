package io.shardwise.producer;

import io.shardwise.aggregation.HashKeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

/**
 * Reads the stream's open shards with ListShards, following every page. A shard is open when its
 * sequence number range has no end; closed parents of a split or merge are left out, since new
 * records land on their children.
 */
final class ShardMapLoader {
    private final KinesisAsyncClient kinesis;
    private final StreamId stream;

    ShardMapLoader(KinesisAsyncClient kinesis, StreamId stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    CompletableFuture<ShardMap> load() {
        List<ShardMap.Shard> open = new ArrayList<>();
        return page(stream.apply(ListShardsRequest.builder()).build(), open).thenApply(done -> ShardMap.of(open));
    }

    private CompletableFuture<Void> page(ListShardsRequest request, List<ShardMap.Shard> open) {
        return kinesis.listShards(request).thenCompose((ListShardsResponse response) -> {
            response.shards().forEach(shard -> {
                if (shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null) {
                    open.add(new ShardMap.Shard(shard.shardId(), HashKeyRange.of(
                            shard.hashKeyRange().startingHashKey(), shard.hashKeyRange().endingHashKey())));
                }
            });
            if (response.nextToken() == null) {
                return CompletableFuture.completedFuture(null);
            }
            // With a next token, ListShards rejects the stream name: the token alone names the listing.
            return page(ListShardsRequest.builder().nextToken(response.nextToken()).build(), open);
        });
    }
}
