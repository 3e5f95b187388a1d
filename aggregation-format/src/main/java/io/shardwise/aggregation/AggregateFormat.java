package io.shardwise.aggregation;

import com.google.protobuf.WireFormat;

/** Constants of the KPL aggregate layout: magic, protobuf message, MD5 of the message. */
final class AggregateFormat {

    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    /** Magic plus checksum: the bytes around the protobuf message. */
    static final int FRAME_BYTES = MAGIC.length + Md5.LENGTH;
    /** The outer partition key of every aggregate, as the KPL sends it. */
    static final String AGGREGATE_PARTITION_KEY = "a";

    // AggregatedRecord fields
    static final int PARTITION_KEY_TABLE = 1;
    static final int EXPLICIT_HASH_KEY_TABLE = 2;
    static final int RECORDS = 3;
    // Record fields
    static final int PARTITION_KEY_INDEX = 1;
    static final int EXPLICIT_HASH_KEY_INDEX = 2;
    static final int DATA = 3;

    static final int TAG_PARTITION_KEY_TABLE = tag(PARTITION_KEY_TABLE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    static final int TAG_EXPLICIT_HASH_KEY_TABLE = tag(EXPLICIT_HASH_KEY_TABLE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    static final int TAG_RECORDS = tag(RECORDS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    static final int TAG_PARTITION_KEY_INDEX = tag(PARTITION_KEY_INDEX, WireFormat.WIRETYPE_VARINT);
    static final int TAG_EXPLICIT_HASH_KEY_INDEX = tag(EXPLICIT_HASH_KEY_INDEX, WireFormat.WIRETYPE_VARINT);
    static final int TAG_DATA = tag(DATA, WireFormat.WIRETYPE_LENGTH_DELIMITED);

    private AggregateFormat() {
    }

    static boolean hasMagic(byte[] data) {
        if (data.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }
}
