package io.shardwise.aggregation;

/** Internal signal that a checksummed message is not a valid aggregate; never leaves the package. */
final class MalformedAggregateException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedAggregateException(String message) {
        super(message, null, false, false); // no stack trace: hostile input must be cheap to reject
    }
}
