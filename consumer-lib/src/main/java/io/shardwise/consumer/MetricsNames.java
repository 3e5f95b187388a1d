package io.shardwise.consumer;

/** Which names the consumer's metrics are published under; see {@link ShardwiseConsumer.Builder#metricsNames}. */
public enum MetricsNames {
    /** {@code shardwise.consumer.*} meters tagged {@code application} (the default). */
    SHARDWISE,
    /**
     * The KCL's metric names and dimensions (RecordsProcessed, DataBytesProcessed and MillisBehindLatest
     * per Operation=ProcessTask and ShardId; the lease metrics per Operation and WorkerIdentifier), at the
     * chosen {@link MetricsLevel}, so dashboards and alarms built on the KCL's CloudWatch metrics keep working.
     */
    KCL
}
