package io.shardwise.producer;

import java.util.List;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

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

    // Events in the detail the KPL's metrics need (per record, per shard, per request); see KplProducerMetrics.

    /** {@code send} accepted a user record. */
    default void userRecordReceived() {}

    /** The user records without a result, read whenever the registry publishes. */
    default <T> void userRecordsPending(T source, ToDoubleFunction<T> count) {}

    /** A PutRecords call ended: {@code response} is null when the whole call failed with {@code error}. */
    default void putRecordsAnswered(PutBatch batch, PutRecordsResponse response, Throwable error, long nanos) {}

    /** User records stored, each with its result (its shard and every attempt). */
    default void userRecordsStored(List<PendingRecord> records, List<SendResult> results) {}

    /** User records that ended without being stored; their futures are already failed. */
    default void userRecordsNotStored(List<PendingRecord> records) {}
}
