package io.shardwise.kinesis;

import java.time.Duration;

/**
 * The checks both builders run in {@code build()}, with one form of message: the option, the value
 * given and what is allowed ({@code maxRecords = 20000 is out of range; allowed: 1 .. 10000}).
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /** @throws IllegalArgumentException naming option, value and what is allowed, unless {@code valid} */
    public static void require(boolean valid, String option, Object value, String allowed) {
        if (!valid) {
            throw new IllegalArgumentException(option + " = " + value + " is out of range; allowed: " + allowed);
        }
    }

    /** A duration above zero. */
    public static void requirePositive(Duration value, String option) {
        require(value != null && !value.isNegative() && !value.isZero(), option, value, "> 0");
    }
}
