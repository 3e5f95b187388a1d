package io.shardwise.cli;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;

/** How the demo builds a consumer worker, the same way in its own JVM and in a child JVM. */
final class DemoWorkers {

    private DemoWorkers() {
    }

    /** A worker from the trim horizon, with the consumer's defaults (failover time 3 s). */
    static ShardwiseConsumer consumer(Target target, String stream, String table, String workerId,
                                      DemoProcessor.Sink sink) {
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder()
                .applicationName(table)
                .streamName(stream)
                .workerId(workerId)
                .region(target.region())
                .credentialsProvider(target.credentials())
                .initialPosition(InitialPosition.trimHorizon())
                .processorFactory(shardId -> new DemoProcessor(sink));
        if (target.kinesisEndpoint() != null) {
            builder.kinesisEndpoint(target.kinesisEndpoint());
        }
        if (target.dynamoDbEndpoint() != null) {
            builder.dynamoDbEndpoint(target.dynamoDbEndpoint());
        }
        return builder.build();
    }
}
