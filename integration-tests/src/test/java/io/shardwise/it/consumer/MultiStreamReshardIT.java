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
import io.shardwise.consumer.StreamTracker;
import io.shardwise.it.support.Reshard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Two streams in one application (one lease table, two workers), a split on one of them while both
 * run: every record of both streams reaches the processor told its stream, the split stream's
 * parent is finished before its children start, and the leases of both streams are balanced
 * together, in the KCL's multi-stream key form.
 */
@ShardwiseTest
class MultiStreamReshardIT {

    @Test
    void twoStreamsOneSplitEveryRecordToTheRightStreamParentBeforeChildren(LocalEngines engines, TestStream first,
                                                                           LeaseTableName table) {
        KinesisClient kinesis = engines.kinesisClient();
        try (TwoStreams streams = new TwoStreams(engines, first)) {
            String second = streams.secondName();
            StreamConfig a = streams.configs().get(0);
            StreamConfig b = streams.configs().get(1);
            StreamTracker tracker = streams::configs;
            StreamDeliveries deliveries = new StreamDeliveries();
            List<String> writtenA = new ArrayList<>(StreamDeliveries.write(kinesis, first.name(), 0, 100));
            List<String> writtenB = new ArrayList<>(StreamDeliveries.write(kinesis, second, 0, 100));

            try (ShardwiseConsumer w1 = worker(engines, table, tracker, "w1", deliveries);
                 ShardwiseConsumer w2 = worker(engines, table, tracker, "w2", deliveries)) {
                w1.start();
                w2.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.distinct(a.streamIdentifier()) == 100
                        && deliveries.distinct(b.streamIdentifier()) == 100);
                // Two leases, one per stream, two workers: one lease each, whichever stream.
                await().atMost(Duration.ofSeconds(30)).until(() -> w1.heldShards().size() == 1
                        && w2.heldShards().size() == 1);
                Set<String> held = new HashSet<>(w1.heldShards());
                held.addAll(w2.heldShards());
                Shard parent = Reshard.openShards(kinesis, first.name()).get(0);
                assertThat(held).containsExactlyInAnyOrder(
                        key(a.streamIdentifier(), parent.shardId()),
                        key(b.streamIdentifier(), Reshard.openShards(kinesis, second).get(0).shardId()));

                Reshard.splitInHalf(kinesis, first.name(), parent);
                writtenA.addAll(StreamDeliveries.write(kinesis, first.name(), 100, 300));
                writtenB.addAll(StreamDeliveries.write(kinesis, second, 100, 200));
                await().atMost(Duration.ofSeconds(90)).until(() -> deliveries.distinct(a.streamIdentifier()) == 300
                        && deliveries.distinct(b.streamIdentifier()) == 200);

                List<String> children = Reshard.openShards(kinesis, first.name()).stream().map(Shard::shardId).toList();
                assertThat(children).hasSize(2);
                List<StreamDeliveries.Delivery> ofA = deliveries.of(a.streamIdentifier());
                int lastOfParent = lastIndex(ofA, parent.shardId());
                for (String child : children) {
                    assertThat(firstIndex(ofA, child)).as("first record of child %s", child).isGreaterThan(lastOfParent);
                }
                var leases = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value());
                for (String child : children) {
                    var item = leases.get(key(a.streamIdentifier(), child));
                    assertThat(item).as("lease of child %s", child).isNotNull();
                    assertThat(item.get("streamName").s()).isEqualTo(a.streamIdentifier().serialize());
                    assertThat(item.get("shardId").s()).isEqualTo(child);
                    assertThat(item.get("parentShardId").ss()).containsExactly(parent.shardId());
                }
            }
            assertThat(deliveries.payloads(a.streamIdentifier())).containsAll(writtenA).allMatch(writtenA::contains);
            assertThat(deliveries.payloads(b.streamIdentifier())).containsAll(writtenB).allMatch(writtenB::contains);
        }
    }

    private static String key(StreamIdentifier stream, String shardId) {
        return new MultiStreamLeaseKey(stream, shardId).leaseKey();
    }

    private static int lastIndex(List<StreamDeliveries.Delivery> deliveries, String shardId) {
        int last = -1;
        for (int i = 0; i < deliveries.size(); i++) {
            if (deliveries.get(i).record().shardId().equals(shardId)) {
                last = i;
            }
        }
        assertThat(last).as("records of %s", shardId).isNotNegative();
        return last;
    }

    private static int firstIndex(List<StreamDeliveries.Delivery> deliveries, String shardId) {
        for (int i = 0; i < deliveries.size(); i++) {
            if (deliveries.get(i).record().shardId().equals(shardId)) {
                return i;
            }
        }
        throw new AssertionError("no record of " + shardId + " was delivered");
    }

    static ShardwiseConsumer worker(LocalEngines engines, LeaseTableName table, StreamTracker tracker, String id,
                                    StreamDeliveries deliveries) {
        return ShardwiseConsumer.builder().applicationName(table.value()).streamTracker(tracker)
                .streamTrackerPollInterval(Duration.ofSeconds(1))
                .kinesisClient(engines.kinesisAsyncClient()).dynamoDbClient(engines.dynamoDbClient())
                .workerId(id).processorFactory(deliveries.factory(id)).build();
    }
}
