package io.shardwise.aggregation;

/** Protobuf varint writing straight into an array whose size the caller has already counted. */
final class Varint {

    private Varint() {
    }

    /** Writes a non-negative int as a varint (the same bytes as uint32 and uint64) at {@code pos}; returns the next position. */
    static int write(byte[] out, int pos, int value) {
        while ((value & ~0x7F) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }
}
