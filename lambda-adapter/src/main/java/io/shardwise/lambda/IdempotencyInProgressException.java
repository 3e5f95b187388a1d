package io.shardwise.lambda;

/**
 * Another invocation holds an unexpired in-progress claim on the record: its effect may be running
 * right now. Thrown out of {@link DynamoDbIdempotency#runOnce}, so the record fails and Lambda
 * retries it later; by then the effect has completed (the record is skipped) or the claim has
 * expired with that invocation's remaining time (the effect runs).
 */
public final class IdempotencyInProgressException extends IllegalStateException {

    IdempotencyInProgressException(String message) {
        super(message);
    }
}
