package io.shardwise.lambda;

/**
 * An event record lacks what a partial batch response needs (its sequence number or event id).
 * Thrown out of the handler, so Lambda treats the invocation as failed and retries the batch:
 * reporting an empty identifier would mean the same, but silently.
 */
public final class MalformedEventException extends IllegalArgumentException {

    MalformedEventException(String message) {
        super(message);
    }
}
