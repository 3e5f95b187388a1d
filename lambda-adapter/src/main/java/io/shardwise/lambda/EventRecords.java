package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.aggregation.Deaggregation;
import io.shardwise.aggregation.Deaggregator;
import io.shardwise.aggregation.HashKeyRange;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Turns the Kinesis records of a Lambda event into parent records with their user records. */
final class EventRecords {

    private EventRecords() {
    }

    /** The KPL aggregate magic: only records that start with it can hold sub-records of other shards. */

    /**
     * Reads and deaggregates one event record. A record without the KPL magic, or whose aggregate
     * is corrupt, passes through as one user record (as the KCL does), so nothing is lost. Sub-records
     * outside the shard's hash key range are left out when the filter drops them and knows the range.
     *
     * @param index position in the event, for error messages
     * @param fallbackShardId shard id to use when the event id is missing (window events carry it)
     */
    static ParentRecord read(KinesisEvent.KinesisEventRecord eventRecord, int index, String fallbackArn,
                             String fallbackShardId, ShardRangeFilter filter, Context context) {
        KinesisEvent.Record kinesis = eventRecord.getKinesis();
        if (kinesis == null || kinesis.getSequenceNumber() == null || kinesis.getSequenceNumber().isEmpty()) {
            throw new MalformedEventException("event record " + index + " (eventID " + eventRecord.getEventID()
                    + ") has no kinesis.sequenceNumber: it could not be reported as a batch item failure");
        }
        String sequenceNumber = kinesis.getSequenceNumber();
        String shardId = shardIdOf(eventRecord.getEventID(), fallbackShardId);
        if (shardId == null) {
            throw new MalformedEventException("event record " + index + " (sequence number " + sequenceNumber
                    + ") has no eventID of the form shardId-...:sequenceNumber");
        }
        String arn = eventRecord.getEventSourceARN() != null ? eventRecord.getEventSourceARN() : fallbackArn;
        Instant arrival = toInstant(kinesis.getApproximateArrivalTimestamp());
        byte[] data = bytes(kinesis.getData());

        HashKeyRange range = filter != null && filter.drops() && Deaggregator.hasAggregateMagic(data)
                ? filter.rangeFor(arn, shardId, context) : null;
        Deaggregation deaggregation = Deaggregator.deaggregate(kinesis.getPartitionKey(), null, data,
                sequenceNumber, range);
        List<KinesisUserRecord> users = new ArrayList<>(deaggregation.records().size());
        for (DeaggregatedRecord r : deaggregation.records()) {
            if (r.outsideShardRange()) {
                continue; // dropped: the filter drops, and the range is known
            }
            users.add(new KinesisUserRecord(arn, shardId, r.partitionKey(), r.explicitHashKey(), r.data(),
                    sequenceNumber, r.subSequenceNumber(), arrival, r.aggregated()));
        }
        return new ParentRecord(arn, shardId, sequenceNumber, deaggregation.aggregated(), List.copyOf(users),
                deaggregation.outsideShardRangeCount());
    }

    /** {@code shardId-000000000001:4959...} gives {@code shardId-000000000001}. */
    static String shardIdOf(String eventId, String fallback) {
        if (eventId != null) {
            int colon = eventId.indexOf(':');
            if (colon > 0) {
                return eventId.substring(0, colon);
            }
        }
        return fallback;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }

    private static Instant toInstant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
