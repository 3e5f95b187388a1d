package io.shardwise.producer;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;

/**
 * What the {@link Sender} needs: the stream, when to reload its shard map, how to time retries and calls.
 *
 * @param recordTtl how long a record may be held before it expires (also while waiting for a retry)
 * @param retryBaseDelay the first retry's backoff (at least 1 ms)
 * @param retryMaxDelay the longest backoff (at least {@code retryBaseDelay})
 * @param requestTimeout bound on one PutRecords call
 */
record SenderConfig(
        StreamReference stream,
        Duration recordTtl,
        Duration shardMapRefreshInterval,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        Duration requestTimeout) {
}
