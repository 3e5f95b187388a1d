package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.ShardwiseConsumer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart: a second worker joins (and gets half the shards by a graceful handoff), then
 * the first one closes (its leases are released and taken at once). The handler checkpoints after
 * each batch and when asked to shut down, so nothing is processed twice and nothing is missed.
 */
@ShardwiseTest
@StreamShards(2)
class GracefulHandoffIT {

    @Test
    void rollingRestartHandsShardsOverWithoutDuplicatesOrGaps(LocalEngines engines, TestStream stream,
                                                              LeaseTableName table) throws Exception {
        Received received = new Received();
        List<String> written;
        try (ContinuousWriter writer = new ContinuousWriter(engines.kinesisClient(), stream.name(), 8, 8, 100)) {
            ShardwiseConsumer a = LocalWorkers.receiving(engines, stream, table, "a", received);
            a.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.heldShards().size() == 2);
            try (ShardwiseConsumer b = LocalWorkers.receiving(engines, stream, table, "b", received)) {
                b.start();
                // B is below its fair share: it asks A, which checkpoints and hands one shard over.
                await().atMost(Duration.ofSeconds(30)).until(() -> b.heldShards().size() == 1
                        && a.heldShards().size() == 1);
                Thread.sleep(1_000);
                long closeStart = System.nanoTime();
                a.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> b.heldShards().size() == 2);
                System.out.printf("B held both shards %d ms after A's close began%n",
                        (System.nanoTime() - closeStart) / 1_000_000);
                Thread.sleep(1_000);
                written = writer.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() == written.size());
            }
        }
        assertThat(received.payloads()).as("no duplicates, nothing missed").containsExactlyInAnyOrderElementsOf(written);
        ConsumerDeliveryIT.assertPerKeyOrder(received);
        assertThat(received.all()).extracting(Received.Delivery::worker).contains("a", "b");
        printLongestGapPerShard(received);
    }

    /** The processing gap a handoff causes: longest pause between two deliveries of one shard. */
    static void printLongestGapPerShard(Received received) {
        Map<String, Long> last = new HashMap<>();
        Map<String, Long> longest = new HashMap<>();
        for (Received.Delivery d : received.all()) {
            String shard = d.record().shardId();
            Long previous = last.put(shard, d.atNanos());
            if (previous != null) {
                longest.merge(shard, d.atNanos() - previous, Math::max);
            }
        }
        longest.forEach((shard, gap) -> System.out.printf("longest processing gap on %s: %d ms%n", shard,
                gap / 1_000_000));
    }
}
