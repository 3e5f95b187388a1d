package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;

/** Your code for one user record. Throwing marks the record (and its parent) as failed. */
@FunctionalInterface
public interface UserRecordHandler {

    /**
     * Processes one user record.
     *
     * @param record the user record, deaggregated
     * @param context the invocation's Lambda context (may be null outside Lambda)
     * @throws Exception to report the record as failed
     */
    void handle(KinesisUserRecord record, Context context) throws Exception;
}
