package io.shardwise.producer;

/**
 * A record breaks a Kinesis limit and was not sent. Only that record's future fails. The message
 * names the field, the value (never the payload) and the limit.
 */
public final class InvalidRecordException extends ProducerException {
    private final String field;

    InvalidRecordException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** Which part of the record is invalid: {@code partitionKey}, {@code explicitHashKey} or {@code data}. */
    public String field() {
        return field;
    }
}
