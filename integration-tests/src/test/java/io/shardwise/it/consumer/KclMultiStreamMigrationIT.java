package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.MultiStreamLeaseKey;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.consumer.StreamConfig;
import io.shardwise.consumer.StreamIdentifier;
import io.shardwise.it.support.KclWorker;
import io.shardwise.it.support.Reshard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * Migration of a multi-stream application from the real KCL 3.5.1: the KCL processes two streams
 * in multi-stream mode and checkpoints each once, part-way; then Shardwise in multi-stream mode
 * starts on the same lease table. It reads the KCL's leases (keys {@code account:stream:epoch:shardId})
 * as they are and resumes each stream right after the KCL's checkpoint: nothing before it again,
 * every record after it (including those written since) delivered, to the processor of the right stream.
 */
@ShardwiseTest
class KclMultiStreamMigrationIT {
    private static final int FIRST = 100;
    private static final int CHECKPOINT_AT = 60;
    private static final int TOTAL = 150;

    @Test
    void shardwiseResumesEachStreamAfterTheKclsMultiStreamCheckpoints(LocalEngines engines, TestStream first,
                                                                      LeaseTableName app) throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        try (TwoStreams streams = new TwoStreams(engines, first)) {
            List<StreamConfig> configs = streams.configs();
            streams.writeToBoth(0, FIRST);

            Map<String, String> kclCheckpoints = new ConcurrentHashMap<>();
            Map<String, List<Integer>> seenByKcl = new ConcurrentHashMap<>();
            try (KclWorker kcl = new KclWorker(engines, KclWorker.multiStreamTracker(configs), app.value(), "kcl-worker",
                    new CheckpointOnceFactory(seenByKcl, kclCheckpoints))) {
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> configs.stream()
                        .allMatch(c -> kclCheckpoints.containsKey(c.streamIdentifier().serialize())
                                && seenByKcl.get(c.streamIdentifier().serialize()).size() > CHECKPOINT_AT));
            }

            var leases = LeaseItems.shardLeases(engines.dynamoDbClient(), app.value());
            for (StreamConfig c : configs) {
                String shardId = Reshard.openShards(kinesis, c.streamIdentifier().streamName()).get(0).shardId();
                String key = new MultiStreamLeaseKey(c.streamIdentifier(), shardId).leaseKey();
                assertThat(leases).as("the KCL's lease of %s", c.streamIdentifier()).containsKey(key);
                assertThat(leases.get(key).get("streamName").s()).isEqualTo(c.streamIdentifier().serialize());
                assertThat(leases.get(key).get("shardId").s()).isEqualTo(shardId);
                assertThat(LeaseItems.checkpoint(leases.get(key))).isEqualTo(kclCheckpoints.get(c.streamIdentifier()
                        .serialize()));
            }
            assertThat(leases).hasSize(2);

            streams.writeToBoth(FIRST, TOTAL);
            StreamDeliveries deliveries = new StreamDeliveries();
            try (ShardwiseConsumer consumer = streams.worker(app, "shardwise-1", deliveries)) {
                consumer.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> configs.stream().allMatch(c ->
                        deliveries.distinct(c.streamIdentifier()) >= TOTAL - CHECKPOINT_AT - 1));
                // One more poll's worth of time, so a record delivered twice would show.
                Thread.sleep(1_000);
            }
            for (StreamConfig c : configs) {
                StreamIdentifier id = c.streamIdentifier();
                assertThat(deliveries.payloads(id)).as("records of %s", id).containsExactlyElementsOf(
                        IntStream.range(CHECKPOINT_AT + 1, TOTAL).mapToObj(n -> id.streamName() + "/" + n).toList());
            }
        }
    }

    private static int number(String payload) {
        return Integer.parseInt(payload.substring(payload.lastIndexOf('/') + 1));
    }

    /** Processors told their stream by the KCL: each checkpoints once, at record {@link #CHECKPOINT_AT}. */
    private record CheckpointOnceFactory(Map<String, List<Integer>> seen, Map<String, String> checkpoints)
            implements ShardRecordProcessorFactory {
        @Override
        public ShardRecordProcessor shardRecordProcessor() {
            throw new IllegalStateException("a multi-stream KCL application must tell the stream");
        }

        @Override
        public ShardRecordProcessor shardRecordProcessor(software.amazon.kinesis.common.StreamIdentifier stream) {
            String id = stream.serialize();
            return new KclCheckpointOnce(seen.computeIfAbsent(id, s -> new CopyOnWriteArrayList<>()),
                    KclMultiStreamMigrationIT::number, CHECKPOINT_AT, r -> checkpoints.put(id, r.sequenceNumber()));
        }
    }
}
