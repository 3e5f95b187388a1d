package io.shardwise.consumer;

/** Which KCL-named metrics are published, as the KCL's {@code metricsLevel}. */
public enum MetricsLevel {
    /** None. */
    NONE,
    /** Every KCL metric but TotalLeases and LeasesToTake. */
    SUMMARY,
    /** Every KCL metric (the KCL's default). */
    DETAILED
}
