package io.shardwise.lambda;

import java.util.Optional;

/**
 * Remembers, per stream and shard, the last user record fully processed when an invocation
 * stopped inside a KPL aggregate. When Lambda replays that aggregate, the handler skips the
 * sub-records at or before the stored position, so none runs twice.
 *
 * <p>Implementations must be forward-only: {@link #save} never moves a shard's position back.
 * {@link DynamoDbProgressStore} is the provided one.
 */
public interface ProgressStore {

    /** The stored position for the shard, or empty when none was stored. */
    Optional<RecordPosition> load(String eventSourceArn, String shardId);

    /**
     * Stores {@code position} if it is after the stored one.
     *
     * @return true when stored, false when the stored position was already at or after it
     */
    boolean save(String eventSourceArn, String shardId, RecordPosition position);
}
