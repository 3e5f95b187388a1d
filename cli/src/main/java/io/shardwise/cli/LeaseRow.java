package io.shardwise.cli;

import java.util.Set;

/**
 * One shard lease as {@code shardwise app} reads it, from a table written by Shardwise or by the
 * KCL (same schema). {@code checkpointedAt} and {@code millisBehindLatest} are Shardwise's own
 * attributes, null on a KCL-written lease; {@code owner} is null when the lease is free.
 */
record LeaseRow(String leaseKey, String owner, long counter, String checkpoint, long subSequenceNumber,
                Set<String> parentShardIds, Set<String> childShardIds, String startingHashKey, String endingHashKey,
                Long checkpointedAt, Long millisBehindLatest) {

    static final String TRIM_HORIZON = "TRIM_HORIZON";
    static final String LATEST = "LATEST";
    static final String AT_TIMESTAMP = "AT_TIMESTAMP";
    static final String SHARD_END = "SHARD_END";

    boolean finished() {
        return SHARD_END.equals(checkpoint);
    }

    /** The checkpoint as printed: a sentinel, or {@code sequence/subSequence}. */
    String position() {
        return AppCheckpoint.of(checkpoint, subSequenceNumber).toString();
    }
}
