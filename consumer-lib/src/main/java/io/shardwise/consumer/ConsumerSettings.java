package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;

/**
 * Every knob of one consumer, filled by the builder with production defaults.
 *
 * <p>Timing: a worker writes its liveness item every {@code heartbeatInterval}; others treat it as
 * dead when its counter has not moved for {@code failoverTime} on their clocks; it stops its own
 * shards when it has not written one for {@code failoverTime - selfFenceMargin}, before anyone can
 * take them. {@code takeInterval} is the period of the coordinator's rounds, which read the small
 * worker table; the lease table is scanned when the worker table shows a change, and at least every
 * {@code leaseScanInterval}.
 */
record ConsumerSettings(String applicationName, String tableName, StreamReference stream, String workerId,
                        InitialPosition initialPosition, RetrievalMode retrievalMode, String fanOutConsumerName,
                        Duration failoverTime, Duration heartbeatInterval, Duration selfFenceMargin,
                        Duration takeInterval, Duration shardSyncInterval, int maxStealsPerRound,
                        PollingSettings polling, int maxProcessingAttempts, FailurePolicy failurePolicy,
                        PoisonBatchHandler poisonHandler, ShardFailureListener failureListener,
                        Duration shutdownTimeout, Duration dynamoCallTimeout, boolean deliverOutsideShardRange,
                        Duration leaseScanInterval) {

    long selfFenceNanos() {
        return failoverTime.minus(selfFenceMargin).toNanos();
    }
}
