package io.shardwise.producer;

/** Which KPL-named metrics are published, as the KPL's {@code MetricsLevel}. */
public enum MetricsLevel {
    /** None. */
    NONE,
    /** UserRecordsPut, KinesisRecordsPut, ErrorsByCode, AllErrors, UserRecordExpired and BufferingTime. */
    SUMMARY,
    /** Every KPL metric (the KPL's default). */
    DETAILED
}
