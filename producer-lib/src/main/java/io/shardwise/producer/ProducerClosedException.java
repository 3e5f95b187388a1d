package io.shardwise.producer;

/**
 * The producer was closed before the record had a result. When the record was in a request at that
 * moment, it may still have been stored.
 */
public final class ProducerClosedException extends ProducerException {
    ProducerClosedException(String message) {
        super(message);
    }
}
