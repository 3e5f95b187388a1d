package io.shardwise.aggregation;

import java.io.IOException;
import java.math.BigInteger;
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
        ShardRangeCheck rangeCheck = shardRange == null ? null : new ShardRangeCheck(shardRange, parsed);
        DeaggregatedRecord[] records = new DeaggregatedRecord[parsed.count];
        int outside = 0;
        for (int i = 0; i < parsed.count; i++) {
            int pkIndex = parsed.partitionKeyIndexes[i];
            int ehkIndex = parsed.explicitHashKeyIndexes[i];
            int offset = parsed.dataOffsets[i];
            byte[] data = Arrays.copyOfRange(bytes, offset, offset + parsed.dataLengths[i]);
            boolean isOutside = rangeCheck != null && rangeCheck.isOutside(pkIndex, ehkIndex);
            if (isOutside) {
                outside++;
            }
            records[i] = new DeaggregatedRecord(parsed.partitionKeys.get(pkIndex),
                    ehkIndex < 0 ? null : parsed.explicitHashKeys.get(ehkIndex),
                    data, sequenceNumber, i, true, isOutside);
        }
        return new Deaggregation(Arrays.asList(records), true, null, null, outside);
    }

    private static Deaggregation passthrough(String partitionKey, String explicitHashKey, byte[] data,
                                             String sequenceNumber, PassthroughReason reason, String detail) {
        DeaggregatedRecord record = new DeaggregatedRecord(partitionKey, explicitHashKey, data, sequenceNumber,
                0, false, false);
        return new Deaggregation(List.of(record), false, reason, detail, 0);
    }

    /**
     * Decides per table entry, once, whether a sub-record's hash key lies in the shard: many
     * sub-records share keys, and hashing a partition key costs an MD5.
     */
    private static final class ShardRangeCheck {
        private static final byte UNKNOWN = 0;
        private static final byte INSIDE = 1;
        private static final byte OUTSIDE = 2;

        private final HashKeyRange range;
        private final ParsedAggregate parsed;
        private final byte[] byPartitionKey;
        private final byte[] byExplicitHashKey;

        ShardRangeCheck(HashKeyRange range, ParsedAggregate parsed) {
            this.range = range;
            this.parsed = parsed;
            this.byPartitionKey = new byte[parsed.partitionKeys.size()];
            this.byExplicitHashKey = new byte[parsed.explicitHashKeys.size()];
        }

        boolean isOutside(int pkIndex, int ehkIndex) {
            if (ehkIndex >= 0) {
                if (byExplicitHashKey[ehkIndex] == UNKNOWN) {
                    String ehk = parsed.explicitHashKeys.get(ehkIndex);
                    // A key that is no valid hash key cannot be shown to belong here: flag it.
                    boolean inside = HashKeys.isValidExplicit(ehk) && range.contains(new BigInteger(ehk));
                    byExplicitHashKey[ehkIndex] = inside ? INSIDE : OUTSIDE;
                }
                return byExplicitHashKey[ehkIndex] == OUTSIDE;
            }
            if (byPartitionKey[pkIndex] == UNKNOWN) {
                BigInteger hashKey = HashKeys.ofPartitionKey(parsed.partitionKeys.get(pkIndex));
                byPartitionKey[pkIndex] = range.contains(hashKey) ? INSIDE : OUTSIDE;
            }
            return byPartitionKey[pkIndex] == OUTSIDE;
        }
    }
}
