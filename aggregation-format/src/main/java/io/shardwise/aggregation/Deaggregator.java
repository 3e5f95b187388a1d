package io.shardwise.aggregation;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Unpacks KPL aggregated records into user records.
 *
 * <p>All or nothing: either every sub-record of a valid aggregate comes back, or the Kinesis record
 * comes back unchanged as one plain record with a {@link PassthroughReason} and a detail for logs.
 * A sub-record whose hash key lies outside the given shard range is delivered and flagged, never
 * dropped. No input, however hostile, makes it throw, loop endlessly or allocate beyond the size
 * of the input.
 */
public final class Deaggregator {

    private static final byte[] NO_DATA = new byte[0];

    private Deaggregator() {
    }

    /**
     * Deaggregates one Kinesis record.
     *
     * @param partitionKey the Kinesis record's partition key
     * @param explicitHashKey the Kinesis record's explicit hash key, or null
     * @param data the Kinesis record's data (a null is treated as empty)
     * @param sequenceNumber the Kinesis record's sequence number, copied to every sub-record
     * @param shardRange the hash key range of the shard the record was read from, or null to skip
     *     the range check
     */
    /**
     * True when {@code data} starts with the KPL aggregate's magic bytes: a cheap test before work
     * worth doing only for aggregates. Such data may still fail to parse (then it is a plain record).
     */
    public static boolean hasAggregateMagic(byte[] data) {
        return AggregateFormat.hasMagic(data);
    }

    public static Deaggregation deaggregate(String partitionKey, String explicitHashKey, byte[] data,
                                            String sequenceNumber, HashKeyRange shardRange) {
        byte[] bytes = data == null ? NO_DATA : data;
        if (!AggregateFormat.hasMagic(bytes)) {
            return passthrough(partitionKey, explicitHashKey, bytes, sequenceNumber,
                    PassthroughReason.NOT_AGGREGATED, "no KPL magic prefix");
        }
        if (bytes.length < AggregateFormat.FRAME_BYTES) {
            return passthrough(partitionKey, explicitHashKey, bytes, sequenceNumber, PassthroughReason.TOO_SHORT,
                    bytes.length + " bytes, an aggregate needs at least " + AggregateFormat.FRAME_BYTES);
        }
        int messageOffset = AggregateFormat.MAGIC.length;
        int messageLength = bytes.length - AggregateFormat.FRAME_BYTES;
        if (!Md5.local().matches(bytes, messageOffset, messageLength, bytes, messageOffset + messageLength)) {
            return passthrough(partitionKey, explicitHashKey, bytes, sequenceNumber, PassthroughReason.BAD_CHECKSUM,
                    "the MD5 of the " + messageLength + "-byte message does not match its trailing checksum");
        }
        Deaggregation canonical = CanonicalAggregateReader.read(bytes, messageOffset, messageLength, sequenceNumber,
                shardRange);
        if (canonical != null) {
            return canonical;
        }
        ParsedAggregate parsed = ParsedAggregate.acquire();
        try {
            AggregateParser.parse(bytes, messageOffset, messageLength, parsed);
            if (parsed.count == 0) {
                return passthrough(partitionKey, explicitHashKey, bytes, sequenceNumber,
                        PassthroughReason.UNPARSEABLE, "a valid aggregate without user records");
            }
            return unpack(bytes, parsed, sequenceNumber, shardRange);
        } catch (MalformedAggregateException e) {
            return passthrough(partitionKey, explicitHashKey, bytes, sequenceNumber,
                    PassthroughReason.UNPARSEABLE, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // protobuf-java reports malformed input as InvalidProtocolBufferException (an IOException);
            // anything else it might throw on garbage is treated the same way: never escapes.
            return passthrough(partitionKey, explicitHashKey, bytes, sequenceNumber,
                    PassthroughReason.UNPARSEABLE, "malformed protobuf: " + e.getMessage());
        } finally {
            parsed.release();
        }
    }

    private static Deaggregation unpack(byte[] bytes, ParsedAggregate parsed, String sequenceNumber,
                                        HashKeyRange shardRange) {
        ShardRangeCheck rangeCheck = shardRange == null ? null : new ShardRangeCheck(shardRange);
        DeaggregatedRecord[] records = new DeaggregatedRecord[parsed.count];
        int outside = 0;
        for (int i = 0; i < parsed.count; i++) {
            int pkIndex = parsed.partitionKeyIndex(i);
            int ehkIndex = parsed.explicitHashKeyIndex(i);
            int offset = parsed.dataOffset(i);
            byte[] data = Arrays.copyOfRange(bytes, offset, offset + parsed.dataLength(i));
            String partitionKey = parsed.partitionKeys.get(pkIndex);
            String explicitHashKey = ehkIndex < 0 ? null : parsed.explicitHashKeys.get(ehkIndex);
            boolean isOutside = rangeCheck != null
                    && rangeCheck.isOutside(partitionKey, pkIndex, explicitHashKey, ehkIndex);
            if (isOutside) {
                outside++;
            }
            records[i] = new DeaggregatedRecord(partitionKey, explicitHashKey, data, sequenceNumber, i, true,
                    isOutside);
        }
        return new Deaggregation(new DeaggregatedRecords(records, records.length), true, null, null, outside);
    }

    private static Deaggregation passthrough(String partitionKey, String explicitHashKey, byte[] data,
                                             String sequenceNumber, PassthroughReason reason, String detail) {
        DeaggregatedRecord record = new DeaggregatedRecord(partitionKey, explicitHashKey, data, sequenceNumber,
                0, false, false);
        return new Deaggregation(List.of(record), false, reason, detail, 0);
    }
}
