package io.shardwise.kinesis;

import java.util.Objects;

/**
 * A position in a shard: the Kinesis sequence number of a record plus the sub-sequence number of a
 * user record inside a KPL aggregate (0 for a plain record), or one of the sentinels the KCL's lease
 * table also stores: {@code TRIM_HORIZON}, {@code LATEST}, {@code AT_TIMESTAMP} (before every
 * position) and {@code SHARD_END} (after every position).
 *
 * <p>Positions order by sequence number as an unsigned decimal integer, then by sub-sequence number.
 * The comparison reads the digits in place: no {@link java.math.BigInteger} per comparison (a
 * consumer compares positions for every record it delivers).
 *
 * @param sequenceNumber decimal digits, or a sentinel name
 * @param subSequenceNumber index of the user record inside its aggregate, 0 or more
 */
public record SequencePosition(String sequenceNumber, long subSequenceNumber) implements Comparable<SequencePosition> {

    public static final String TRIM_HORIZON = "TRIM_HORIZON";
    public static final String LATEST = "LATEST";
    public static final String AT_TIMESTAMP = "AT_TIMESTAMP";
    public static final String SHARD_END = "SHARD_END";

    public SequencePosition {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException("subSequenceNumber must be >= 0, was " + subSequenceNumber);
        }
        if (!isSentinel(sequenceNumber) && !isDecimal(sequenceNumber)) {
            throw new IllegalArgumentException("sequenceNumber must be a decimal number or one of TRIM_HORIZON, "
                    + "LATEST, AT_TIMESTAMP, SHARD_END; was '" + sequenceNumber + "'");
        }
    }

    /** True for TRIM_HORIZON, LATEST, AT_TIMESTAMP and SHARD_END. */
    public boolean isSentinel() {
        return isSentinel(sequenceNumber);
    }

    /** Start sentinels before every position, SHARD_END after every position. */
    @Override
    public int compareTo(SequencePosition other) {
        return compare(sequenceNumber, subSequenceNumber, other.sequenceNumber, other.subSequenceNumber);
    }

    /**
     * The order of two positions given as parts (for types that hold the parts themselves): start
     * sentinels (equal among themselves) before every position, SHARD_END after every position, and
     * positions by sequence number, then sub-sequence number.
     */
    public static int compare(String sequenceA, long subSequenceA, String sequenceB, long subSequenceB) {
        int rankA = rank(sequenceA);
        int rankB = rank(sequenceB);
        if (rankA != rankB || rankA != 1) {
            return Integer.compare(rankA, rankB);
        }
        int bySequence = compareSequenceNumbers(sequenceA, sequenceB);
        return bySequence != 0 ? bySequence : Long.compare(subSequenceA, subSequenceB);
    }

    /**
     * Compares two decimal sequence numbers as unsigned integers without parsing them: leading zeros
     * skipped, then the longer number is the larger, and equal lengths compare digit by digit.
     */
    public static int compareSequenceNumbers(String a, String b) {
        int startA = firstSignificant(a);
        int startB = firstSignificant(b);
        int lengthA = a.length() - startA;
        int lengthB = b.length() - startB;
        if (lengthA != lengthB) {
            return Integer.compare(lengthA, lengthB);
        }
        for (int i = 0; i < lengthA; i++) {
            int byDigit = Character.compare(a.charAt(startA + i), b.charAt(startB + i));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    /** True for the names TRIM_HORIZON, LATEST, AT_TIMESTAMP and SHARD_END. */
    public static boolean isSentinel(String sequenceNumber) {
        return sequenceNumber.equals(TRIM_HORIZON) || sequenceNumber.equals(LATEST)
                || sequenceNumber.equals(AT_TIMESTAMP) || sequenceNumber.equals(SHARD_END);
    }

    /** True for one or more ASCII decimal digits. */
    public static boolean isDecimal(String s) {
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

    private static int rank(String sequenceNumber) {
        if (sequenceNumber.equals(SHARD_END)) {
            return 2;
        }
        return isSentinel(sequenceNumber) ? 0 : 1;
    }

    private static int firstSignificant(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return i;
    }

    @Override
    public String toString() {
        return isSentinel() ? sequenceNumber : sequenceNumber + "/" + subSequenceNumber;
    }
}
