package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.Reshard;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Four workers of a new application start with LATEST on a stream whose history holds closed
 * shards (three splits): all at the same instant, and staggered so that the syncs of three of them
 * see a table half filled by the first (whose shard sync is slowed to 300 ms per lease creation;
 * they start the moment its first lease is in the table). Whatever order the syncs run in, not one
 * record written before the start is delivered, and every record written after it is.
 */
@ShardwiseTest
@StreamShards(2)
class LatestStartIT {
    private static final int NEW_FROM = 1_000;

    @Test
    void workersStartingAtTheSameInstantWithLatestNeverDeliverOlderRecords(LocalEngines engines, TestStream stream,
                                                                           LeaseTableName table) throws Exception {
        startFourWithLatest(engines, stream, table, false);
    }

    @Test
    void workersStartingWhileAnotherIsHalfWayThroughItsSyncNeverDeliverOlderRecords(
            LocalEngines engines, TestStream stream, LeaseTableName table) throws Exception {
        startFourWithLatest(engines, stream, table, true);
    }

    private static void startFourWithLatest(LocalEngines engines, TestStream stream, LeaseTableName table,
                                            boolean staggered) throws Exception {
        KinesisClient kinesis = engines.kinesisClient();
        List<String> old = new ArrayList<>(Writes.numbered(kinesis, stream.name(), 0, 40, 8));
        for (int split = 0; split < 3; split++) {
            Shard widest = Reshard.openShards(kinesis, stream.name()).stream()
                    .max((a, b) -> width(a).compareTo(width(b))).orElseThrow();
            Reshard.splitInHalf(kinesis, stream.name(), widest);
            old.addAll(Writes.numbered(kinesis, stream.name(), 40 * (split + 1), 40 * (split + 2), 8));
        }
        int open = Reshard.openShards(kinesis, stream.name()).size();

        Received received = new Received();
        List<ShardwiseConsumer> workers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> starters = new ArrayList<>();
        PartitionableDynamoDb slow = new PartitionableDynamoDb(engines.dynamoDbClient());
        try {
            for (String id : List.of("a", "b", "c", "d")) {
                ShardwiseConsumer worker = LocalWorkers.worker(engines, stream, table, id)
                        .dynamoDbClient(id.equals("a") ? slow : engines.dynamoDbClient())
                        .initialPosition(InitialPosition.latest()).recordHandler(r -> received.add(id, r)).build();
                workers.add(worker);
                if (staggered && id.equals("a")) {
                    slow.putLatency(300);
                    worker.start();
                    continue;
                }
                Thread starter = new Thread(() -> {
                    try {
                        go.await();
                        worker.start();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                starter.start();
                starters.add(starter);
            }
            if (staggered) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> !LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).isEmpty());
            }
            go.countDown();
            for (Thread starter : starters) {
                starter.join(TimeUnit.SECONDS.toMillis(60));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> held(workers).size() == open);
            // Every open shard's reader has its iterator once it polled: give each a few polls.
            Thread.sleep(3_000);
            List<String> fresh = Writes.numbered(kinesis, stream.name(), NEW_FROM, NEW_FROM + 80, 8);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.payloads().containsAll(fresh));
            Thread.sleep(2_000);
        } finally {
            workers.forEach(ShardwiseConsumer::close);
        }
        List<String> delivered = received.payloads();
        assertThat(delivered).as("records written before the start").doesNotContainAnyElementsOf(old);
        assertThat(delivered).allSatisfy(p -> assertThat(Integer.parseInt(p.substring(p.indexOf(':') + 1)))
                .isGreaterThanOrEqualTo(NEW_FROM));
    }

    private static Set<String> held(List<ShardwiseConsumer> workers) {
        Set<String> held = new HashSet<>();
        workers.forEach(w -> held.addAll(w.heldShards()));
        return held;
    }

    private static BigInteger width(Shard shard) {
        return new BigInteger(shard.hashKeyRange().endingHashKey())
                .subtract(new BigInteger(shard.hashKeyRange().startingHashKey()));
    }
}
