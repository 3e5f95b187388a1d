package io.shardwise.testkit.engines;

/**
 * A local engine (kinesis-mock, DynamoDB Local or a LocalStack container) could not be installed
 * or started. The message says what failed and what to do about it; for a failed process start
 * it includes the tail of the engine's log.
 */
public class LocalEngineException extends RuntimeException {

    LocalEngineException(String message) {
        super(message);
    }

    LocalEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
