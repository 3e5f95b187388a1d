package io.shardwise.producer;

/** Base of every failure the producer reports through a record's future or a method call. */
public abstract class ProducerException extends RuntimeException {
    ProducerException(String message) {
        super(message);
    }

    ProducerException(String message, Throwable cause) {
        super(message, cause);
    }
}
