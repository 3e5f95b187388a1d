package io.shardwise.consumer;

/** Creates one processor per shard lease this worker starts. */
@FunctionalInterface
public interface RecordProcessorFactory {
    RecordProcessor create(String shardId);
}
