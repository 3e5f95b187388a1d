package io.shardwise.producer;

import java.time.Duration;
import java.time.Instant;

/**
 * One try at putting a user record into the stream: when it started, how long the PutRecords call
 * took, and, when it failed, the error code and message Kinesis (or the client) gave.
 *
 * @param startedAt when the request carrying the record was sent
 * @param duration how long the request took until its answer (or failure)
 * @param errorCode null on success; else the Kinesis error code or the client exception's name
 * @param errorMessage null on success; else the message that came with the error
 */
public record Attempt(Instant startedAt, Duration duration, String errorCode, String errorMessage) {
    /** True when this attempt stored the record. */
    public boolean succeeded() {
        return errorCode == null;
    }

    @Override
    public String toString() {
        return startedAt + " (" + duration.toMillis() + " ms): "
                + (succeeded() ? "stored" : errorCode + (errorMessage == null ? "" : " - " + errorMessage));
    }
}
