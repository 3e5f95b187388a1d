package io.shardwise.consumer;

/** Reads one shard in order, from a start position. One thread calls it. */
interface Retriever extends AutoCloseable {
    /** The next batch (possibly empty), or null when the stop signal fired while waiting. */
    RecordBatch next();

    @Override
    default void close() {
    }
}
