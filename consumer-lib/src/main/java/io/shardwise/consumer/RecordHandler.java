package io.shardwise.consumer;

/**
 * The simple form of a processor: called once per user record, in order; the consumer checkpoints
 * after each batch whose records all returned, at shard end, and when asked to shut down.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(ConsumerRecord record) throws Exception;
}
