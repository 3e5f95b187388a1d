package io.shardwise.cli;

import java.math.BigInteger;

/**
 * A checkpoint as the lease table stores it: a sequence number and the sub-sequence number of the
 * last processed user record inside it, or one of the sentinels TRIM_HORIZON, LATEST, AT_TIMESTAMP,
 * SHARD_END. Both Shardwise and the KCL resume at the first user record strictly after a position.
 */
record AppCheckpoint(String sequenceNumber, long subSequenceNumber) {

    static final AppCheckpoint TRIM_HORIZON = new AppCheckpoint(LeaseRow.TRIM_HORIZON, 0);
    static final AppCheckpoint SHARD_END = new AppCheckpoint(LeaseRow.SHARD_END, 0);

    static AppCheckpoint of(String sequenceNumber, long subSequenceNumber) {
        return new AppCheckpoint(sequenceNumber == null ? LeaseRow.TRIM_HORIZON : sequenceNumber,
                isSentinel(sequenceNumber) ? 0 : subSequenceNumber);
    }

    /** {@code N} or {@code N/SUB}, as given to {@code --to-sequence}; null sub when absent. */
    static AppCheckpoint parseOption(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length > 2 || !decimal(parts[0]) || (parts.length == 2 && !decimal(parts[1]))) {
            throw new CliException("--to-sequence " + value + ": expected a sequence number N or N/SUB (decimal digits)");
        }
        return new AppCheckpoint(parts[0], parts.length == 2 ? Long.parseLong(parts[1]) : -1);
    }

    boolean isPosition() {
        return !isSentinel(sequenceNumber);
    }

    BigInteger sequence() {
        return new BigInteger(sequenceNumber);
    }

    private static boolean isSentinel(String sequenceNumber) {
        return sequenceNumber == null || !decimal(sequenceNumber);
    }

    private static boolean decimal(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return isPosition() ? sequenceNumber + "/" + subSequenceNumber : sequenceNumber;
    }
}
