package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.consumer.StreamConfig;
import io.shardwise.it.support.KclWorker;
import io.shardwise.it.support.PayloadCollector;
import io.shardwise.it.support.Reshard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * The other direction: a multi-stream lease table written by Shardwise (two streams, a split on one,
 * so child leases name their parent) is taken over by the real KCL 3.5.1 in multi-stream mode after
 * Shardwise closed: the KCL resumes every stream after Shardwise's checkpoints, processes every
 * new record, to the processor of the right stream, and none again.
 */
@ShardwiseTest
class KclAfterShardwiseMultiStreamIT {

    @Test
    void theKclResumesAShardwiseMultiStreamTable(LocalEngines engines, TestStream first, LeaseTableName app)
            throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        try (TwoStreams streams = new TwoStreams(engines, first)) {
            List<StreamConfig> configs = streams.configs();
            String second = streams.secondName();
            streams.writeToBoth(0, 40);
            StreamDeliveries deliveries = new StreamDeliveries();
            try (ShardwiseConsumer consumer = streams.worker(app, "shardwise-1", deliveries)) {
                consumer.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> configs.stream()
                        .allMatch(c -> deliveries.distinct(c.streamIdentifier()) == 40));
                Reshard.splitInHalf(kinesis, first.name(), Reshard.openShards(kinesis, first.name()).get(0));
                StreamDeliveries.write(kinesis, first.name(), 40, 80);
                await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.distinct(configs.get(0)
                        .streamIdentifier()) == 80);
            }
            var leases = LeaseItems.shardLeases(engines.dynamoDbClient(), app.value());
            assertThat(leases.values()).filteredOn(item -> item.containsKey("parentShardId"))
                    .as("child leases of the split, parents stored as bare shard ids").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(item -> assertThat(item.get("parentShardId").ss()).allMatch(p -> p.startsWith("shardId-")));

            Map<String, Set<String>> seenByKcl = new ConcurrentHashMap<>();
            try (KclWorker kcl = new KclWorker(engines, KclWorker.multiStreamTracker(configs), app.value(), "kcl-worker",
                    new CollectingFactory(seenByKcl))) {
                List<String> afterA = StreamDeliveries.write(kinesis, first.name(), 100, 140);
                List<String> afterB = StreamDeliveries.write(kinesis, second, 100, 140);
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                        .until(() -> seen(seenByKcl, configs.get(0)).containsAll(afterA)
                                && seen(seenByKcl, configs.get(1)).containsAll(afterB));
            }
            for (StreamConfig c : configs) {
                assertThat(seen(seenByKcl, c)).as("what the KCL's processors of %s got", c.streamIdentifier())
                        .allMatch(p -> p.startsWith(c.streamIdentifier().streamName() + "/"))
                        .doesNotContainAnyElementsOf(deliveries.payloads(c.streamIdentifier()));
            }
        }
    }

    private static Set<String> seen(Map<String, Set<String>> seenByKcl, StreamConfig config) {
        return seenByKcl.getOrDefault(config.streamIdentifier().serialize(), Set.of());
    }

    private record CollectingFactory(Map<String, Set<String>> seen) implements ShardRecordProcessorFactory {
        @Override
        public ShardRecordProcessor shardRecordProcessor() {
            throw new IllegalStateException("a multi-stream KCL application must tell the stream");
        }

        @Override
        public ShardRecordProcessor shardRecordProcessor(software.amazon.kinesis.common.StreamIdentifier stream) {
            // Checkpoints at each shard's end so children can start, never otherwise.
            return new PayloadCollector(seen.computeIfAbsent(stream.serialize(), s -> ConcurrentHashMap.newKeySet()),
                    PayloadCollector.Checkpoints.AT_SHARD_END);
        }
    }
}
