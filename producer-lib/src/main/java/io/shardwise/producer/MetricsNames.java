package io.shardwise.producer;

/** Which names the producer's metrics are published under; see {@link KinesisProducer.Builder#metricsNames}. */
public enum MetricsNames {
    /** {@code shardwise.producer.*} meters tagged {@code stream} (the default). */
    SHARDWISE,
    /**
     * The KPL's metric names (UserRecordsPut, BufferingTime, ...) with its dimensions StreamName, ShardId
     * and ErrorCode, at the chosen {@link MetricsGranularity} and {@link MetricsLevel}, so dashboards
     * and alarms built on the KPL's CloudWatch metrics keep working.
     */
    KPL
}
