/**
 * The KPL aggregated record format: {@link io.shardwise.aggregation.RecordAggregator} packs user
 * records into one Kinesis record, {@link io.shardwise.aggregation.Deaggregator} unpacks them again,
 * and {@link io.shardwise.aggregation.HashKeys} computes the 128-bit hash keys Kinesis routes by.
 *
 * <p>Only protobuf-java's low-level {@code CodedInputStream} and {@code CodedOutputStream} are used
 * (no generated classes), so any protobuf-java runtime from 3.21 to 4.x works. The schema ships as
 * the resource {@code io/shardwise/aggregation/messages.proto}.
 */
package io.shardwise.aggregation;
