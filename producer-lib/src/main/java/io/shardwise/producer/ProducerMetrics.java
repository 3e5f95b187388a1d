package io.shardwise.producer;

import java.util.function.ToDoubleFunction;

/**
 * What the producer measures. The default does nothing, so the producer never needs Micrometer on the
 * class path; {@link MicrometerProducerMetrics} reports to a user's {@code MeterRegistry}.
 */
interface ProducerMetrics {
    ProducerMetrics NONE = new ProducerMetrics() {};

    default void userRecordsPut(int count) {}

    default void userRecordsFailed(int count) {}

    default void userRecordsExpired(int count) {}

    default void kinesisRecordPut(int userRecords, int bytes) {}

    default void retries(int count) {}

    default void throttled(String shardId) {}

    default void requestLatency(long nanos, boolean success) {}

    default void hotShard(String shardId) {}

    default <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {}
}
