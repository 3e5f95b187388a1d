package io.shardwise.it.consumer;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.consumer.StreamConfig;
import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What a multi-stream test reads: the test's own stream and a second stream of one shard made for
 * it, both tracked from the trim horizon. {@link #close} deletes the second stream.
 */
final class TwoStreams implements AutoCloseable {
    private final LocalEngines engines;
    private final String second;
    private final List<StreamConfig> configs;

    TwoStreams(LocalEngines engines, TestStream first) {
        this.engines = engines;
        this.second = engines.uniqueName("second");
        engines.createStream(second, 1);
        this.configs = List.of(fromTrimHorizon(first.name()), fromTrimHorizon(second));
    }

    /** The first stream's config, then the second's. */
    List<StreamConfig> configs() {
        return configs;
    }

    String secondName() {
        return second;
    }

    /** Writes the records numbered {@code from} to {@code to - 1} to each stream (see {@link StreamDeliveries#write}). */
    void writeToBoth(int from, int to) {
        KinesisClient kinesis = engines.kinesisClient();
        configs.forEach(c -> StreamDeliveries.write(kinesis, c.streamIdentifier().streamName(), from, to));
    }

    /** A Shardwise worker {@code id} of {@code app} reading both streams into {@code deliveries}. */
    ShardwiseConsumer worker(LeaseTableName app, String id, StreamDeliveries deliveries) {
        return ShardwiseConsumer.builder().applicationName(app.value()).streamTracker(() -> configs)
                .kinesisClient(engines.kinesisAsyncClient()).dynamoDbClient(engines.dynamoDbClient())
                .workerId(id).processorFactory(deliveries.factory(id)).build();
    }

    @Override
    public void close() {
        engines.kinesisClient().deleteStream(r -> r.streamName(second).enforceConsumerDeletion(true));
    }

    private StreamConfig fromTrimHorizon(String stream) {
        return StreamConfig.describe(engines.kinesisAsyncClient(), stream, InitialPosition.trimHorizon());
    }
}
