package io.shardwise.consumer;

import java.util.List;

/**
 * The streams a multi-stream consumer processes, in the role of the KCL's {@code MultiStreamTracker}:
 * polled on start and then every {@code streamTrackerPollInterval}. A stream that appears gets its
 * shards' leases (each stream with its own initial position); a stream that disappears is stopped,
 * and its leases handled per {@link #formerStreamsLeasesDeletionStrategy()}. Every worker of the
 * application should return the same list.
 */
@FunctionalInterface
public interface StreamTracker {
    /** The streams to process now; called from one thread, must not block for long. */
    List<StreamConfig> streamConfigList();

    /** What happens to the leases of removed streams; keeps them by default. */
    default FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
        return FormerStreamsLeasesDeletionStrategy.noLeaseDeletion();
    }
}
