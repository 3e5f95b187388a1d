package io.shardwise.producer;

/**
 * How finely KPL-named metrics are broken down, as the KPL's {@code MetricsGranularity}: each level
 * also publishes the coarser ones, so STREAM publishes every metric without dimensions and per
 * StreamName, and SHARD adds the series per StreamName and ShardId.
 */
public enum MetricsGranularity {
    /** One series per metric (and per ErrorCode), no stream or shard dimension. */
    GLOBAL,
    /** GLOBAL plus a series per StreamName. */
    STREAM,
    /** STREAM plus a series per StreamName and ShardId, for the metrics that know their shard (the KPL's default). */
    SHARD
}
