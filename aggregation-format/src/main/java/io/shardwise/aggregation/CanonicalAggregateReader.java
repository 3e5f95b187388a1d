package io.shardwise.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of deaggregation: reads a message laid out as the KPL (and this library) writes
 * it, and makes the user records in the same pass over the array.
 *
 * <p>The layout it accepts: key table entries first, then records, each record exactly partition
 * key index, optional explicit hash key index, then data, every tag one byte and every varint at
 * most 4 bytes, every index within the tables read so far. On anything else it returns null,
 * having thrown nothing, and {@link AggregateParser} (which handles and reports every case) takes
 * over. Records made before such a turn are simply dropped, so the caller still gets all or
 * nothing. The MD5 has been checked before, so this sees well-formed input in all but rare cases.
 */
final class CanonicalAggregateReader {

    private static final int NOT_CANONICAL = -1;

    private final byte[] b;
    private final int end;
    private int pos;

    private CanonicalAggregateReader(byte[] b, int offset, int length) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
    }

    /**
     * The user records of {@code b[offset, offset+length)}, or null when the message is not in the
     * canonical layout (or not valid).
     */
    static Deaggregation read(byte[] b, int offset, int length, String sequenceNumber, HashKeyRange shardRange) {
        return new CanonicalAggregateReader(b, offset, length).read(sequenceNumber, shardRange);
    }

    private Deaggregation read(String sequenceNumber, HashKeyRange shardRange) {
        String[] partitionKeys = new String[32];
        int pkCount = 0;
        String[] explicitHashKeys = null;
        int ehkCount = 0;
        DeaggregatedRecord[] records = new DeaggregatedRecord[64];
        int count = 0;
        int outside = 0;
        ShardRangeCheck rangeCheck = shardRange == null ? null : new ShardRangeCheck(shardRange);
        while (pos < end) {
            int tag = b[pos++];
            int fieldLength = readVarint(end);
            if (fieldLength == NOT_CANONICAL || fieldLength > end - pos) {
                return null;
            }
            int fieldEnd = pos + fieldLength;
            if (tag == AggregateFormat.TAG_RECORDS) {
                if (fieldLength < 4 || b[pos++] != AggregateFormat.TAG_PARTITION_KEY_INDEX) {
                    return null;
                }
                int pkIndex = readVarint(fieldEnd);
                if (pkIndex == NOT_CANONICAL || pkIndex >= pkCount || pos >= fieldEnd) {
                    return null;
                }
                int ehkIndex = -1;
                if (b[pos] == AggregateFormat.TAG_EXPLICIT_HASH_KEY_INDEX) {
                    pos++;
                    ehkIndex = readVarint(fieldEnd);
                    if (ehkIndex == NOT_CANONICAL || ehkIndex >= ehkCount || pos >= fieldEnd) {
                        return null;
                    }
                }
                if (b[pos++] != AggregateFormat.TAG_DATA) {
                    return null;
                }
                int dataLength = readVarint(fieldEnd);
                if (dataLength != fieldEnd - pos) {
                    return null; // more fields follow, or a bad length
                }
                String partitionKey = partitionKeys[pkIndex];
                String explicitHashKey = ehkIndex < 0 ? null : explicitHashKeys[ehkIndex];
                boolean isOutside = rangeCheck != null
                        && rangeCheck.isOutside(partitionKey, pkIndex, explicitHashKey, ehkIndex);
                if (isOutside) {
                    outside++;
                }
                if (count == records.length) {
                    records = Arrays.copyOf(records, count * 2);
                }
                records[count] = new DeaggregatedRecord(partitionKey, explicitHashKey,
                        Arrays.copyOfRange(b, pos, fieldEnd), sequenceNumber, count, true, isOutside);
                count++;
            } else if (count > 0) {
                return null; // a table entry after a record
            } else if (tag == AggregateFormat.TAG_PARTITION_KEY_TABLE) {
                if (pkCount == partitionKeys.length) {
                    partitionKeys = Arrays.copyOf(partitionKeys, pkCount * 2);
                }
                partitionKeys[pkCount++] = new String(b, pos, fieldLength, StandardCharsets.UTF_8);
            } else if (tag == AggregateFormat.TAG_EXPLICIT_HASH_KEY_TABLE) {
                if (explicitHashKeys == null) {
                    explicitHashKeys = new String[16];
                } else if (ehkCount == explicitHashKeys.length) {
                    explicitHashKeys = Arrays.copyOf(explicitHashKeys, ehkCount * 2);
                }
                explicitHashKeys[ehkCount++] = new String(b, pos, fieldLength, StandardCharsets.UTF_8);
            } else {
                return null;
            }
            pos = fieldEnd;
        }
        if (count == 0) {
            return null; // the general path reports it
        }
        return new Deaggregation(new DeaggregatedRecords(records, count), true, null, null, outside);
    }

    /** A varint of at most 4 bytes ending before {@code limit}, or {@link #NOT_CANONICAL}. */
    private int readVarint(int limit) {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            if (pos >= limit) {
                return NOT_CANONICAL;
            }
            int v = b[pos++];
            value |= (v & 0x7F) << shift;
            if (v >= 0) {
                return value;
            }
        }
        return NOT_CANONICAL;
    }
}
