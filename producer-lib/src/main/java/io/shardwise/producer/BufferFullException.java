package io.shardwise.producer;

/**
 * The producer already holds {@code maxBufferedBytes} and could not take the record within the
 * configured wait. Slow down, raise {@code maxBufferedBytes}, or let {@code send} wait longer.
 */
public final class BufferFullException extends ProducerException {
    BufferFullException(String message) {
        super(message);
    }
}
