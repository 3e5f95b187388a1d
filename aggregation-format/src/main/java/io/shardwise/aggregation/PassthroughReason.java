package io.shardwise.aggregation;

/** Why a Kinesis record was passed through as one plain record instead of being unpacked. */
public enum PassthroughReason {
    /** The data does not start with the KPL magic bytes: an ordinary record. */
    NOT_AGGREGATED,
    /** The magic is there but the record is shorter than magic plus checksum. */
    TOO_SHORT,
    /** The trailing MD5 does not match the protobuf message. */
    BAD_CHECKSUM,
    /**
     * The checksum matches but the message is not a valid aggregate: malformed protobuf, a table
     * index out of range, a missing required field, or no user records at all.
     */
    UNPARSEABLE
}
