package io.shardwise.lambda;

/** What a handler does after one user record failed. */
public enum FailureMode {
    /**
     * Report the failing record (for a sub-record: its parent Kinesis record) and process nothing
     * after it. Lambda resumes from the lowest reported sequence number, so the shard's order is
     * kept: nothing later ever runs before the failed record succeeds. The default.
     */
    STOP_AT_FIRST_FAILURE,
    /**
     * Process every remaining record and report each failing parent once. Lambda still resumes
     * from the lowest reported sequence number, so records after it run again: for handlers that
     * neither need order nor mind repeats (or that guard effects with {@link DynamoDbIdempotency}).
     */
    CONTINUE
}
