package io.shardwise.consumer;

/**
 * What happens after a batch failed {@code maxProcessingAttempts} times in a row. Before that the
 * same batch is retried with backoff; no policy ever skips records silently.
 */
public enum FailurePolicy {
    /** Keep retrying forever (the default): at-least-once, nothing skipped. */
    RETRY_FOREVER,
    /** Stop processing the shard on this worker and report it to the {@link ShardFailureListener}. */
    STOP_SHARD,
    /** Hand the batch to the {@link PoisonBatchHandler}, then go on with the next batch. */
    POISON_HANDLER
}
