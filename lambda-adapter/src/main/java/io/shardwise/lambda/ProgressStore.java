package io.shardwise.lambda;

import java.util.OptionalLong;

/**
 * Remembers, per consumer and Kinesis record (a KPL aggregate), the last sub-record fully
 * processed when an invocation stopped inside that aggregate. When Lambda replays the aggregate to
 * the same consumer, the handler skips its sub-records up to that one, so none runs twice. Nothing
 * else is ever skipped: not plain records, not other aggregates, not another consumer's records.
 *
 * <p>Implementations must be forward-only: {@link #save} never moves an aggregate's progress back.
 * {@link DynamoDbProgressStore} is the provided one.
 */
public interface ProgressStore {

    /** The sub-sequence number of the aggregate's last finished sub-record, or empty when none was stored. */
    OptionalLong load(AggregateKey aggregate);

    /**
     * Stores {@code lastFinishedSubSequenceNumber} if it is after the stored one.
     *
     * @return true when stored, false when the stored progress was already at or after it
     */
    boolean save(AggregateKey aggregate, long lastFinishedSubSequenceNumber);
}
