package io.shardwise.consumer;

import java.time.Duration;
import java.util.Optional;

/**
 * What a multi-stream consumer does with the leases of a stream its {@link StreamTracker} no
 * longer returns (a "former stream", in the KCL's words). Either way the stream's processors are
 * stopped (each may checkpoint, then its lease is released) and its leases are no longer taken.
 * With {@link #noLeaseDeletion()} the leases stay in the table, so the stream resumes from its
 * checkpoints if it comes back; with {@link #autoDetectionAndDeferredDeletion(Duration)} a worker
 * that sees leases of an untracked stream in the table for the whole wait period deletes them (the
 * wait restarts when a worker restarts, as in the KCL).
 */
public record FormerStreamsLeasesDeletionStrategy(Optional<Duration> waitPeriodToDeleteFormerStreams) {

    public FormerStreamsLeasesDeletionStrategy {
        waitPeriodToDeleteFormerStreams.ifPresent(wait -> {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("waitPeriodToDeleteFormerStreams must be >= 0, was " + wait);
            }
        });
    }

    /** Leases of former streams are kept (the default). */
    public static FormerStreamsLeasesDeletionStrategy noLeaseDeletion() {
        return new FormerStreamsLeasesDeletionStrategy(Optional.empty());
    }

    /** Leases of a stream found untracked for {@code waitPeriod} are deleted. */
    public static FormerStreamsLeasesDeletionStrategy autoDetectionAndDeferredDeletion(Duration waitPeriod) {
        return new FormerStreamsLeasesDeletionStrategy(Optional.of(waitPeriod));
    }
}
