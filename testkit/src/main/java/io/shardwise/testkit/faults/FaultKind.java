package io.shardwise.testkit.faults;

/** What the {@link FaultProxy} did to a request, as counted in {@link FaultCounts}. */
public enum FaultKind {
    /** A whole call answered 400 ProvisionedThroughputExceededException by a throttling rule. */
    THROTTLED_CALL,
    /** One PutRecords entry failed with ProvisionedThroughputExceededException by a throttling rule. */
    THROTTLED_ENTRY,
    /** A PutRecord call throttled because its shard was over the real per-shard write limit. */
    SHARD_LIMIT_CALL,
    /** One PutRecords entry throttled because its shard was over the real per-shard write limit. */
    SHARD_LIMIT_ENTRY,
    /** A call answered 500 Internal Server Error. */
    SERVER_ERROR_500,
    /** A call answered 503 Service Unavailable. */
    SERVER_ERROR_503,
    /** A call delayed by added latency before it was forwarded. */
    LATENCY,
    /** A call whose connection was closed without an answer. */
    DROPPED_CONNECTION,
    /** A GetShardIterator answered ResourceNotFoundException for a shard the rules say is gone. */
    SHARD_GONE,
    /** A call held back, or throttled, because the proxy was stalled. */
    STALLED
}
