package io.shardwise.lambda;

import io.shardwise.kinesis.SequencePosition;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A user record's place in its shard: the Kinesis sequence number of its (parent) record and its
 * sub-sequence number inside that record (0 for a plain record).
 *
 * <p>Positions order by sequence number as a decimal integer, then by sub-sequence number: the
 * order of {@link SequencePosition}, the position type the libraries share (a Lambda batch holds
 * no sentinels, so this type accepts digits only).
 *
 * @param sequenceNumber decimal sequence number, as Kinesis gives it
 * @param subSequenceNumber index of the user record inside its aggregate, 0 or more
 */
public record RecordPosition(String sequenceNumber, long subSequenceNumber) implements Comparable<RecordPosition> {

    /** Kinesis sequence numbers have at most 129 decimal digits (the API's pattern). */
    static final int MAX_SEQUENCE_DIGITS = 129;

    public RecordPosition {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        if (sequenceNumber.isEmpty() || sequenceNumber.length() > MAX_SEQUENCE_DIGITS || !SequencePosition.isDecimal(sequenceNumber)) {
            throw new IllegalArgumentException("sequenceNumber must be 1 to " + MAX_SEQUENCE_DIGITS
                    + " decimal digits, was '" + sequenceNumber + "'");
        }
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException("subSequenceNumber must be >= 0, was " + subSequenceNumber);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordPosition p && subSequenceNumber == p.subSequenceNumber
                && sequenceNumber.equals(p.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return sequenceNumber.hashCode() * 31 + Long.hashCode(subSequenceNumber);
    }

    @Override
    public int compareTo(RecordPosition other) {
        return SequencePosition.compare(sequenceNumber, subSequenceNumber, other.sequenceNumber, other.subSequenceNumber);
    }

    /** True when this position is after {@code other}. */
    public boolean isAfter(RecordPosition other) {
        return compareTo(other) > 0;
    }

    /**
     * A string whose lexicographic order is the position order (zero-padded digits), so that a
     * store can compare positions in a conditional write.
     */
    String sortableKey() {
        String sequence = new BigInteger(sequenceNumber).toString();
        return "0".repeat(MAX_SEQUENCE_DIGITS - sequence.length()) + sequence
                + ':' + String.format("%020d", subSequenceNumber);
    }

    /** This position as the shared position type. */
    public SequencePosition toSequencePosition() {
        return new SequencePosition(sequenceNumber, subSequenceNumber);
    }

    @Override
    public String toString() {
        return sequenceNumber + "/" + subSequenceNumber;
    }
}
