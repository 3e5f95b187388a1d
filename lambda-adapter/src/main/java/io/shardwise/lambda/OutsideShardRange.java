package io.shardwise.lambda;

/**
 * What the handler does with a sub-record of a KPL aggregate whose hash key lies outside the hash
 * key range of the shard the aggregate was read from. That happens when a producer packed records
 * for a shard map that has changed since (a split or merge): the aggregate lands on one shard, some
 * of its sub-records belong to another.
 */
public enum OutsideShardRange {
    /**
     * Drop them, with a log line that is also a CloudWatch metric ({@code Shardwise /
     * OutsideShardRangeDropped}, embedded metric format). What the KCL does, and right for the KPL,
     * which sends such records again to the shard they belong to. The default.
     */
    DROP,
    /**
     * Deliver them like any other sub-record. For producers that never send them again, such as
     * the npm {@code aws-kinesis-agg} aggregator: dropping would lose them.
     */
    DELIVER
}
