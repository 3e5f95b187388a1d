package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.FormerStreamsLeasesDeletionStrategy;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.consumer.StreamConfig;
import io.shardwise.consumer.StreamIdentifier;
import io.shardwise.consumer.StreamTracker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A stream removed from the tracker while the consumer runs: its processor is asked to shut down
 * and its lease released (kept, with its checkpoint, through the wait period), then deleted after
 * the wait period; the other stream goes on, and records written to the removed stream afterwards
 * reach no processor.
 */
@ShardwiseTest
class MultiStreamRemovalIT {
    private static final Duration WAIT_TO_DELETE = Duration.ofSeconds(10);

    @Test
    void aRemovedStreamStopsAndItsLeasesGoAfterTheWaitPeriod(LocalEngines engines, TestStream kept,
                                                             LeaseTableName table) {
        KinesisClient kinesis = engines.kinesisClient();
        String removedName = engines.uniqueName("removed");
        engines.createStream(removedName, 1);
        try {
            StreamConfig a = StreamConfig.describe(engines.kinesisAsyncClient(), kept.name(), InitialPosition.trimHorizon());
            StreamConfig b = StreamConfig.describe(engines.kinesisAsyncClient(), removedName,
                    InitialPosition.trimHorizon());
            StreamIdentifier removed = b.streamIdentifier();
            AtomicReference<List<StreamConfig>> streams = new AtomicReference<>(List.of(a, b));
            StreamTracker tracker = new StreamTracker() {
                @Override
                public List<StreamConfig> streamConfigList() {
                    return streams.get();
                }

                @Override
                public FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
                    return FormerStreamsLeasesDeletionStrategy.autoDetectionAndDeferredDeletion(WAIT_TO_DELETE);
                }
            };
            StreamDeliveries deliveries = new StreamDeliveries();
            StreamDeliveries.write(kinesis, kept.name(), 0, 50);
            List<String> beforeRemoval = StreamDeliveries.write(kinesis, removedName, 0, 50);

            try (ShardwiseConsumer consumer = MultiStreamReshardIT.worker(engines, table, tracker, "w1", deliveries)) {
                consumer.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.distinct(a.streamIdentifier()) == 50
                        && deliveries.distinct(removed) == 50);
                assertThat(leasesOf(engines, table, removed)).hasSize(1);

                streams.set(List.of(a));
                await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.trackedStreams().contains(removed)
                        && consumer.heldShards().stream().noneMatch(k -> k.startsWith(removed.serialize())));
                assertThat(deliveries.events()).anySatisfy(e -> {
                    assertThat(e.stream()).isEqualTo(removed);
                    assertThat(e.what()).isEqualTo("shutdownRequested");
                });
                // Released with its checkpoint, not deleted yet: the stream could still come back.
                var released = leasesOf(engines, table, removed);
                assertThat(released).hasSize(1).allSatisfy(item -> {
                    assertThat(item).doesNotContainKey("leaseOwner");
                    assertThat(item.get("checkpoint").s()).isEqualTo(lastSequenceNumber(deliveries, removed));
                });

                await().atMost(WAIT_TO_DELETE.multipliedBy(4)).until(() -> leasesOf(engines, table, removed).isEmpty());

                List<String> afterRemoval = StreamDeliveries.write(kinesis, removedName, 50, 80);
                StreamDeliveries.write(kinesis, kept.name(), 50, 100);
                await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.distinct(a.streamIdentifier()) == 100);
                assertThat(deliveries.payloads(removed)).containsExactlyInAnyOrderElementsOf(beforeRemoval)
                        .doesNotContainAnyElementsOf(afterRemoval);
                assertThat(leasesOf(engines, table, a.streamIdentifier())).hasSize(1);
            }
        } finally {
            kinesis.deleteStream(r -> r.streamName(removedName).enforceConsumerDeletion(true));
        }
    }

    private static List<Map<String, AttributeValue>> leasesOf(LocalEngines engines, LeaseTableName table,
                                                              StreamIdentifier stream) {
        return LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).entrySet().stream()
                .filter(e -> e.getKey().startsWith(stream.serialize() + ":")).map(Map.Entry::getValue).toList();
    }

    private static String lastSequenceNumber(StreamDeliveries deliveries, StreamIdentifier stream) {
        List<StreamDeliveries.Delivery> of = deliveries.of(stream);
        return of.get(of.size() - 1).record().sequenceNumber();
    }
}
