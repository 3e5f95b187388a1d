package io.shardwise.consumer;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A position in a shard: a Kinesis sequence number plus the sub-sequence number of a user record
 * inside a KPL aggregate (0 for a plain record), or one of the sentinels {@link #TRIM_HORIZON},
 * {@link #LATEST}, {@link #AT_TIMESTAMP}, {@link #SHARD_END} that the KCL's lease table also uses.
 *
 * <p>Positions order by sequence number (as an unsigned decimal integer), then by sub-sequence
 * number; a restart resumes at the first user record strictly after the checkpoint.
 */
public record Checkpoint(String sequenceNumber, long subSequenceNumber) implements Comparable<Checkpoint> {
    public static final Checkpoint TRIM_HORIZON = new Checkpoint("TRIM_HORIZON", 0);
    public static final Checkpoint LATEST = new Checkpoint("LATEST", 0);
    public static final Checkpoint AT_TIMESTAMP = new Checkpoint("AT_TIMESTAMP", 0);
    public static final Checkpoint SHARD_END = new Checkpoint("SHARD_END", 0);

    public Checkpoint {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException("subSequenceNumber must be >= 0, was " + subSequenceNumber);
        }
        if (!isSentinelName(sequenceNumber) && !isDecimal(sequenceNumber)) {
            throw new IllegalArgumentException("sequenceNumber must be a decimal number or one of TRIM_HORIZON, "
                    + "LATEST, AT_TIMESTAMP, SHARD_END; was '" + sequenceNumber + "'");
        }
    }

    /** A checkpoint at a user record's position. */
    public static Checkpoint at(String sequenceNumber, long subSequenceNumber) {
        return new Checkpoint(sequenceNumber, subSequenceNumber);
    }

    /** Reads the stored form; null or empty means the lease has no checkpoint yet (TRIM_HORIZON-like). */
    static Checkpoint parse(String sequenceNumber, long subSequenceNumber, Checkpoint whenMissing) {
        if (sequenceNumber == null || sequenceNumber.isEmpty()) {
            return whenMissing;
        }
        return new Checkpoint(sequenceNumber, subSequenceNumber);
    }

    /** True for TRIM_HORIZON, LATEST, AT_TIMESTAMP and SHARD_END. */
    public boolean isSentinel() {
        return isSentinelName(sequenceNumber);
    }

    public boolean isShardEnd() {
        return SHARD_END.sequenceNumber.equals(sequenceNumber);
    }

    /** True when this is a real position, past the start of the shard. */
    public boolean isPosition() {
        return !isSentinel();
    }

    /**
     * Orders positions. Start sentinels sort before every position, SHARD_END after every position.
     */
    @Override
    public int compareTo(Checkpoint other) {
        int rank = Integer.compare(rank(), other.rank());
        if (rank != 0 || rank() != 1) {
            return rank;
        }
        int seq = new BigInteger(sequenceNumber).compareTo(new BigInteger(other.sequenceNumber));
        return seq != 0 ? seq : Long.compare(subSequenceNumber, other.subSequenceNumber);
    }

    private int rank() {
        if (isShardEnd()) {
            return 2;
        }
        return isSentinel() ? 0 : 1;
    }

    private static boolean isSentinelName(String s) {
        return s.equals("TRIM_HORIZON") || s.equals("LATEST") || s.equals("AT_TIMESTAMP") || s.equals("SHARD_END");
    }

    private static boolean isDecimal(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return isSentinel() ? sequenceNumber : sequenceNumber + "/" + subSequenceNumber;
    }
}
