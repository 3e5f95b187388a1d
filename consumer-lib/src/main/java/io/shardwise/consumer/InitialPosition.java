package io.shardwise.consumer;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a shard without a checkpoint starts. TRIM_HORIZON walks closed ancestors first (parents
 * before children); LATEST starts at the tip of the open shards; AT_TIMESTAMP at a point in time.
 */
public record InitialPosition(Checkpoint checkpoint, Instant timestamp) {

    public static InitialPosition trimHorizon() {
        return new InitialPosition(Checkpoint.TRIM_HORIZON, null);
    }

    public static InitialPosition latest() {
        return new InitialPosition(Checkpoint.LATEST, null);
    }

    public static InitialPosition atTimestamp(Instant timestamp) {
        return new InitialPosition(Checkpoint.AT_TIMESTAMP, Objects.requireNonNull(timestamp, "timestamp"));
    }
}
