package io.shardwise.consumer;

import io.shardwise.kinesis.StreamReference;
import java.time.Duration;

/**
 * Every knob of one consumer, filled by the builder with production defaults, in one value per
 * stage: {@link LeaseTiming} for the lease rounds and the heartbeat, {@link ShardPolicy} for the
 * shard workers, {@link PollingSettings} for the readers; the rest is what the consumer needs to
 * build them ({@code stream} is null for a multi-stream consumer).
 */
record ConsumerSettings(String applicationName, String tableName, StreamReference stream,
                        InitialPosition initialPosition, RetrievalMode retrievalMode, String fanOutConsumerName,
                        LeaseTiming leases, ShardPolicy shards, PollingSettings polling, Duration dynamoCallTimeout) {

    String workerId() {
        return leases.workerId();
    }
}
