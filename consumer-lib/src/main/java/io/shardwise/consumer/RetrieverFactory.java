package io.shardwise.consumer;

/** Opens the reader of one shard (polling or fan-out). */
@FunctionalInterface
interface RetrieverFactory {
    Retriever open(String shardId, Checkpoint start, StopSignal stop);
}
