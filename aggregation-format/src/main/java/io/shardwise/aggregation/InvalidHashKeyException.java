package io.shardwise.aggregation;

/** An explicit hash key that is not a decimal integer in 0 .. 2^128-1. */
public final class InvalidHashKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN_CHARS = 64;

    private final String value;

    InvalidHashKeyException(String value) {
        super("explicit hash key " + shown(value) + " is not a decimal integer without leading zeros"
                + " in the range 0..2^128-1 (0.." + HashKeys.MAX + ")");
        this.value = value;
    }

    /** The rejected value, possibly null. */
    public String value() {
        return value;
    }

    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= SHOWN_CHARS) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, SHOWN_CHARS) + "...' (" + value.length() + " chars)";
    }
}
