package io.shardwise.it.consumer;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

/**
 * The consumer most tests start from: one worker of the test's application on the test's stream, with
 * the local engines' clients, reading from the trim horizon. A test adds its handler and whatever it
 * exercises (a proxied client, a shorter failover, a start position) on top.
 */
final class LocalWorkers {
    private LocalWorkers() {
    }

    static ShardwiseConsumer.Builder worker(LocalEngines engines, TestStream stream, LeaseTableName table,
                                            String id) {
        return ShardwiseConsumer.builder().applicationName(table.value()).streamName(stream.name())
                .kinesisClient(engines.kinesisAsyncClient()).dynamoDbClient(engines.dynamoDbClient())
                .workerId(id).initialPosition(InitialPosition.trimHorizon());
    }

    /** {@link #worker} whose records go to {@code received} under its id. */
    static ShardwiseConsumer receiving(LocalEngines engines, TestStream stream, LeaseTableName table, String id,
                                       Received received) {
        return worker(engines, stream, table, id).recordHandler(r -> received.add(id, r)).build();
    }
}
