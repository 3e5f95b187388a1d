package io.shardwise.consumer;

/**
 * The attribute names of the lease table, for tools that read or repair it (the {@code shardwise app}
 * commands, an operator's script). The table is the KCL's: one item per shard keyed by
 * {@value #LEASE_KEY}, so a KCL fleet and a Shardwise fleet can follow each other on the same table.
 * Attributes named {@code shardwise...} are Shardwise's own; the KCL ignores them.
 */
public final class LeaseSchema {
    /** The item key: the shard id, or {@code account:stream:creationEpoch:shardId} for a multi-stream lease. */
    public static final String LEASE_KEY = "leaseKey";
    public static final String OWNER = "leaseOwner";
    /** Bumped by every write; each write is conditional on it, which fences a worker that lost the lease. */
    public static final String COUNTER = "leaseCounter";
    /** The checkpointed sequence number, or a sentinel: TRIM_HORIZON, LATEST, AT_TIMESTAMP, SHARD_END. */
    public static final String CHECKPOINT = "checkpoint";
    public static final String CHECKPOINT_SUB = "checkpointSubSequenceNumber";
    public static final String OWNER_SWITCHES = "ownerSwitchesSinceCheckpoint";
    public static final String PARENTS = "parentShardId";
    public static final String CHILDREN = "childShardIds";
    public static final String STARTING_HASH_KEY = "startingHashKey";
    public static final String ENDING_HASH_KEY = "endingHashKey";
    public static final String PENDING = "pendingCheckpoint";
    public static final String PENDING_SUB = "pendingCheckpointSubSequenceNumber";
    public static final String PENDING_STATE = "pendingCheckpointState";
    /** The KCL 3.x's graceful hand-off marker: the worker that must checkpoint before the lease moves. */
    public static final String CHECKPOINT_OWNER = "checkpointOwner";
    /** Shardwise's own: the worker a rebalancing steal asked the owner to hand the lease to. */
    public static final String HANDOFF_TO = "shardwiseHandoffTo";
    /** When the last checkpoint was written (epoch millis). */
    public static final String CHECKPOINTED_AT = "shardwiseCheckpointedAt";
    /** The owner's millisBehindLatest when it wrote the last checkpoint. */
    public static final String MILLIS_BEHIND = "shardwiseMillisBehindLatest";
    /** The KCL 3.x keeps other entities in the lease table too (worker metrics, version migration). */
    public static final String ENTITY_TYPE = "entityType";
    public static final String LEASE_ENTITY = "LEASE";
    /** On a multi-stream lease: the serialized stream identifier (the KCL's name, kept for its legacy reasons). */
    public static final String STREAM_ID = "streamName";
    /** On a multi-stream lease: the bare shard id. */
    public static final String SHARD_ID = "shardId";
    /** Key prefix of the liveness items earlier Shardwise versions kept in the lease table. */
    public static final String LEGACY_WORKER_PREFIX = "__worker__#";
    /** On a legacy liveness item: lease key -> recent bytes per second. */
    public static final String LEGACY_THROUGHPUT = "shardwiseThroughput";

    private LeaseSchema() {
    }
}
