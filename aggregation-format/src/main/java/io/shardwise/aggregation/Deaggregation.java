package io.shardwise.aggregation;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of deaggregating one Kinesis record: either every sub-record of a valid aggregate
 * ({@code aggregated} true, {@code reason} null), or exactly one plain record carrying the Kinesis
 * record unchanged, with the reason it was not unpacked. Never half an aggregate.
 *
 * @param records the user records, in order
 * @param aggregated true when the records came out of a valid aggregate
 * @param reason why the record was passed through, or null when aggregated
 * @param detail a human-readable explanation for logs, or null when aggregated
 * @param outsideShardRangeCount how many records lie outside the given shard range
 */
public record Deaggregation(List<DeaggregatedRecord> records, boolean aggregated,
                            PassthroughReason reason, String detail, int outsideShardRangeCount) {

    public Deaggregation {
        Objects.requireNonNull(records, "records");
        if (!(records instanceof DeaggregatedRecords)) { // already unmodifiable and without nulls
            records = List.copyOf(records);
        }
    }
}
