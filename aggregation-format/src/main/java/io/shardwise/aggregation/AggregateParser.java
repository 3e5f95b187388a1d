package io.shardwise.aggregation;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the protobuf message of an aggregate with protobuf-java's {@link CodedInputStream} only:
 * the general path, for every message {@link CanonicalAggregateReader} leaves to it (fields in
 * another order, tags, unknown fields, malformed input), with an exact reason for whatever is wrong.
 *
 * <p>Hostile input is expected: every declared length is checked against the bytes left before
 * anything is allocated, groups are skipped iteratively with a depth limit (no recursion), tags and
 * unknown fields are skipped, and the record data is located but not copied. Table indexes are
 * checked after the whole message is read, since the tables may follow the records.
 */
final class AggregateParser {

    /** Deeper group nesting than any sane writer produces; protobuf-java's own default is 100. */
    private static final int MAX_GROUP_DEPTH = 100;
    private static final int ABSENT = -1;

    private final byte[] buffer;
    private final int offset;
    private final CodedInputStream in;
    /** Field numbers of the groups being skipped; made on the first group, grows with the nesting. */
    private int[] openGroups;

    private AggregateParser(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.in = CodedInputStream.newInstance(buffer, offset, length);
    }

    /**
     * Parses {@code buffer[offset, offset+length)} into {@code result} (empty); on return all
     * indexes are within the tables.
     */
    static void parse(byte[] buffer, int offset, int length, ParsedAggregate result)
            throws IOException, MalformedAggregateException {
        AggregateParser parser = new AggregateParser(buffer, offset, length);
        parser.in.pushLimit(length); // makes getBytesUntilLimit() meaningful at the top level
        parser.readAggregate(result);
        checkIndexes(result);
    }

    private void readAggregate(ParsedAggregate result) throws IOException, MalformedAggregateException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == AggregateFormat.TAG_PARTITION_KEY_TABLE) {
                result.partitionKeys.add(readString());
            } else if (tag == AggregateFormat.TAG_EXPLICIT_HASH_KEY_TABLE) {
                result.explicitHashKeys.add(readString());
            } else if (tag == AggregateFormat.TAG_RECORDS) {
                int outerLimit = in.pushLimit(readLength());
                readRecord(result);
                in.popLimit(outerLimit);
            } else {
                skipField(tag);
            }
        }
    }

    private void readRecord(ParsedAggregate result) throws IOException, MalformedAggregateException {
        int pkIndex = ABSENT;
        int ehkIndex = ABSENT;
        int dataOffset = -1;
        int dataLength = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == AggregateFormat.TAG_PARTITION_KEY_INDEX) {
                pkIndex = readIndex("partition key", result.count);
            } else if (tag == AggregateFormat.TAG_EXPLICIT_HASH_KEY_INDEX) {
                ehkIndex = readIndex("explicit hash key", result.count);
            } else if (tag == AggregateFormat.TAG_DATA) {
                dataLength = readLength();
                dataOffset = offset + in.getTotalBytesRead();
                in.skipRawBytes(dataLength);
            } else {
                skipField(tag); // tags (field 4) and unknown fields
            }
        }
        if (pkIndex == ABSENT) {
            throw new MalformedAggregateException("user record " + result.count
                    + " lacks its required partition_key_index");
        }
        if (dataOffset < 0) {
            throw new MalformedAggregateException("user record " + result.count + " lacks its required data");
        }
        result.addRecord(pkIndex, ehkIndex, dataOffset, dataLength);
    }

    /**
     * Reads a uint64 index. A table entry takes at least two bytes of input, so an index beyond
     * Integer.MAX_VALUE (or negative as a long) can never be in a table.
     */
    private int readIndex(String table, int record) throws IOException, MalformedAggregateException {
        long index = in.readUInt64();
        if (index < 0 || index > Integer.MAX_VALUE) {
            throw new MalformedAggregateException("user record " + record + " has " + table + " index "
                    + Long.toUnsignedString(index) + ", beyond any table");
        }
        return (int) index;
    }

    private String readString() throws IOException, MalformedAggregateException {
        int length = readLength();
        String value = new String(buffer, offset + in.getTotalBytesRead(), length, StandardCharsets.UTF_8);
        in.skipRawBytes(length);
        return value;
    }

    /** A declared length, checked against the bytes left before anyone allocates for it. */
    private int readLength() throws IOException, MalformedAggregateException {
        int length = in.readRawVarint32();
        int remaining = in.getBytesUntilLimit();
        if (length < 0 || length > remaining) {
            throw new MalformedAggregateException("declared length " + Integer.toUnsignedString(length)
                    + " exceeds the " + remaining + " bytes left");
        }
        return length;
    }

    private void skipField(int tag) throws IOException, MalformedAggregateException {
        int wireType = WireFormat.getTagWireType(tag);
        if (wireType == WireFormat.WIRETYPE_START_GROUP) {
            skipGroup(tag);
        } else if (wireType == WireFormat.WIRETYPE_END_GROUP) {
            throw new MalformedAggregateException("end-group tag of field " + WireFormat.getTagFieldNumber(tag)
                    + " without a start");
        } else if (!in.skipField(tag)) {
            throw new MalformedAggregateException("unexpected tag " + tag);
        }
    }

    /** Skips a (deprecated) group without recursion: a stack of open field numbers, depth-limited. */
    private void skipGroup(int startTag) throws IOException, MalformedAggregateException {
        if (openGroups == null) {
            openGroups = new int[4];
        }
        int[] open = openGroups;
        int depth = 0;
        open[depth++] = WireFormat.getTagFieldNumber(startTag);
        while (depth > 0) {
            int tag = in.readTag();
            int wireType = WireFormat.getTagWireType(tag);
            if (tag == 0) {
                throw new MalformedAggregateException("group of field " + open[depth - 1] + " never ends");
            } else if (wireType == WireFormat.WIRETYPE_START_GROUP) {
                if (depth == MAX_GROUP_DEPTH) {
                    throw new MalformedAggregateException("groups nested deeper than " + MAX_GROUP_DEPTH);
                }
                if (depth == open.length) {
                    open = Arrays.copyOf(open, Math.min(MAX_GROUP_DEPTH, depth * 2));
                    openGroups = open;
                }
                open[depth++] = WireFormat.getTagFieldNumber(tag);
            } else if (wireType == WireFormat.WIRETYPE_END_GROUP) {
                if (WireFormat.getTagFieldNumber(tag) != open[depth - 1]) {
                    throw new MalformedAggregateException("end-group of field " + WireFormat.getTagFieldNumber(tag)
                            + " closes a group of field " + open[depth - 1]);
                }
                depth--;
            } else if (!in.skipField(tag)) {
                throw new MalformedAggregateException("unexpected tag " + tag);
            }
        }
    }

    private static void checkIndexes(ParsedAggregate result) throws MalformedAggregateException {
        int pkTable = result.partitionKeys.size();
        int ehkTable = result.explicitHashKeys.size();
        for (int i = 0; i < result.count; i++) {
            int pkIndex = result.partitionKeyIndex(i);
            if (pkIndex >= pkTable) {
                throw new MalformedAggregateException("user record " + i + " has partition key index " + pkIndex
                        + " outside the table of " + pkTable);
            }
            int ehkIndex = result.explicitHashKeyIndex(i);
            if (ehkIndex >= ehkTable) {
                throw new MalformedAggregateException("user record " + i + " has explicit hash key index " + ehkIndex
                        + " outside the table of " + ehkTable);
            }
        }
    }
}
