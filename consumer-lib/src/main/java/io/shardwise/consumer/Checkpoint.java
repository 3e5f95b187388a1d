package io.shardwise.consumer;

import io.shardwise.kinesis.SequencePosition;
import java.util.Objects;

/**
 * A position in a shard: a Kinesis sequence number plus the sub-sequence number of a user record
 * inside a KPL aggregate (0 for a plain record), or one of the sentinels the KCL's lease table also
 * uses: {@link #TRIM_HORIZON}, {@link #SHARD_END}, and LATEST and AT_TIMESTAMP, which only a new
 * lease holds (where it starts) and which no processor may checkpoint, so they have no public
 * constant here; {@link ShardStart#checkpoint()} can still show them.
 *
 * <p>Positions order by sequence number (as an unsigned decimal integer), then by sub-sequence
 * number, by {@link SequencePosition}'s rule; a restart resumes at the first user record strictly
 * after the checkpoint.
 */
public record Checkpoint(String sequenceNumber, long subSequenceNumber) implements Comparable<Checkpoint> {
    public static final Checkpoint TRIM_HORIZON = new Checkpoint(SequencePosition.TRIM_HORIZON, 0);
    static final Checkpoint LATEST = new Checkpoint(SequencePosition.LATEST, 0);
    static final Checkpoint AT_TIMESTAMP = new Checkpoint(SequencePosition.AT_TIMESTAMP, 0);
    public static final Checkpoint SHARD_END = new Checkpoint(SequencePosition.SHARD_END, 0);

    public Checkpoint {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException("subSequenceNumber must be >= 0, was " + subSequenceNumber);
        }
        if (!SequencePosition.isSentinel(sequenceNumber) && !SequencePosition.isDecimal(sequenceNumber)) {
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
        return SequencePosition.isSentinel(sequenceNumber);
    }

    public boolean isShardEnd() {
        return SHARD_END.sequenceNumber.equals(sequenceNumber);
    }

    /** True when this is a real position, past the start of the shard. */
    public boolean isPosition() {
        return !isSentinel();
    }

    /**
     * Orders positions. Start sentinels sort before every position, SHARD_END after every position;
     * no allocation per comparison.
     */
    @Override
    public int compareTo(Checkpoint other) {
        return SequencePosition.compare(sequenceNumber, subSequenceNumber, other.sequenceNumber, other.subSequenceNumber);
    }

    /** This checkpoint as the shared position type. */
    public SequencePosition position() {
        return new SequencePosition(sequenceNumber, subSequenceNumber);
    }

    @Override
    public String toString() {
        return isSentinel() ? sequenceNumber : sequenceNumber + "/" + subSequenceNumber;
    }
}
