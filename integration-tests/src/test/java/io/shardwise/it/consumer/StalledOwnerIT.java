package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.ShardwiseConsumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exclusive-ownership rule under the faults that break it in practice: the owner's DynamoDB
 * becomes slow (its heartbeats land seconds late) while one of its GetRecords calls stalls. Another
 * worker takes the shard after the failover time; when the stalled read finally answers, the old
 * owner must deliver none of it. From the new owner's first delivery on, the old owner delivers
 * nothing from that shard, and nothing is lost.
 */
@ShardwiseTest
@StreamShards(1)
class StalledOwnerIT {

    @Test
    void aSlowTableAndAStalledReadNeverLetTheOldOwnerDeliverAfterTheNewOne(LocalEngines engines, TestStream stream,
                                                                           LeaseTableName table) throws Exception {
        Received received = new Received();
        List<String> written;
        try (FaultProxy kinesisProxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(11).start();
             FaultProxy dynamoProxy = FaultProxy.builder(engines.dynamoDbEndpoint()).seed(12).start();
             ContinuousWriter writer = new ContinuousWriter(engines.kinesisClient(), stream.name(), 4, 4, 100)) {
            ShardwiseConsumer a = LocalWorkers.worker(engines, stream, table, "a")
                    .kinesisClient(engines.kinesisAsyncClient(kinesisProxy.endpoint()))
                    .dynamoDbClient(engines.dynamoDbClient(dynamoProxy.endpoint()))
                    .recordHandler(r -> received.add("a", r)).build();
            ShardwiseConsumer b = LocalWorkers.receiving(engines, stream, table, "b", received);
            try (a; b) {
                a.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() > 40);
                b.start();
                Thread.sleep(1_000);

                // A's table turns slow (every write lands 6 s late) and its next read hangs.
                kinesisProxy.setStalled("GetRecords", true);
                dynamoProxy.updateRules(r -> r.latency("UpdateItem", Duration.ofSeconds(6)));
                await().atMost(Duration.ofSeconds(30)).until(() -> b.heldShards().size() == 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> countBy(received, "b") > 20);

                // The stalled read answers, the table is fast again: A must deliver none of it.
                kinesisProxy.setStalled("GetRecords", false);
                dynamoProxy.updateRules(r -> r.latency("UpdateItem", Duration.ZERO));
                Thread.sleep(3_000);
                written = writer.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() == written.size());
            }
        }
        long firstOfB = received.all().stream().filter(d -> d.worker().equals("b"))
                .mapToLong(Received.Delivery::atNanos).min().orElseThrow();
        assertThat(received.all().stream().filter(d -> d.worker().equals("a")))
                .as("deliveries to the old owner after the new owner's first")
                .allSatisfy(d -> assertThat(d.atNanos()).isLessThan(firstOfB));
        assertThat(received.payloads()).as("nothing lost").containsAll(written);
        // Per key, each owner delivers in order. Across the two the order may restart once at the
        // handover: a batch A delivered just before its table turned slow has a checkpoint that lands
        // (or fails) after the lease moved, and B resumes from the stored checkpoint (at-least-once).
        for (String worker : List.of("a", "b")) {
            Received own = new Received();
            received.all().stream().filter(d -> d.worker().equals(worker)).forEach(d -> own.add(worker, d.record(), d.atNanos()));
            ConsumerDeliveryIT.assertPerKeyOrder(own);
        }
    }

    private static long countBy(Received received, String worker) {
        return received.all().stream().filter(d -> d.worker().equals(worker)).count();
    }
}
