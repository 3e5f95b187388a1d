package io.shardwise.producer;

import java.time.Duration;
import java.util.List;

/**
 * A record's time to live ({@code recordTtl}) ran out before it was stored. The attempts list what went
 * wrong; a longer time to live or a lower send rate avoids it.
 */
public final class RecordExpiredException extends RecordFailedException {
    RecordExpiredException(Duration ttl, List<Attempt> attempts) {
        super("record not stored within its time to live of " + ttl.toMillis() + " ms (recordTtl)", attempts, null);
    }
}
