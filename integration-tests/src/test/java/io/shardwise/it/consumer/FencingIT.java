package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.LeaseLostException;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.ShardwiseConsumer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A worker cut off from the lease table past the failover time loses its lease to another worker
 * and can no longer checkpoint, even when its processor wakes up and tries.
 */
@ShardwiseTest
@StreamShards(1)
class FencingIT {

    @Test
    void aWorkerWhoseRenewalsStoppedCannotCheckpointAfterItsLeaseWasTaken(LocalEngines engines, TestStream stream,
                                                                         LeaseTableName table) throws Exception {
        Writes.numbered(engines.kinesisClient(), stream.name(), 0, 50, 5);
        PartitionableDynamoDb cutOff = new PartitionableDynamoDb(engines.dynamoDbClient());
        CountDownLatch stuckInBatch = new CountDownLatch(1);
        CountDownLatch wakeUp = new CountDownLatch(1);
        CompletableFuture<Throwable> lateCheckpoint = new CompletableFuture<>();
        AtomicBoolean leaseLostCalled = new AtomicBoolean();
        RecordProcessor paused = new RecordProcessor() {
            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind)
                    throws Exception {
                stuckInBatch.countDown();
                wakeUp.await();
                try {
                    checkpointer.checkpoint();
                    lateCheckpoint.complete(null);
                } catch (RuntimeException e) {
                    lateCheckpoint.complete(e);
                    throw e;
                }
            }

            @Override
            public void leaseLost() {
                leaseLostCalled.set(true);
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint();
            }
        };
        Received byB = new Received();
        try (ShardwiseConsumer a = LocalWorkers.worker(engines, stream, table, "a")
                .dynamoDbClient(cutOff).failoverTime(Duration.ofSeconds(2))
                .processorFactory(shard -> paused).build()) {
            a.start();
            assertThat(stuckInBatch.await(60, TimeUnit.SECONDS)).isTrue();
            try (ShardwiseConsumer b = LocalWorkers.worker(engines, stream, table, "b")
                    .failoverTime(Duration.ofSeconds(2))
                    .recordHandler(r -> byB.add("b", r)).build()) {
                b.start();
                // A is cut off from DynamoDB: no heartbeats, so B sees it dead after the failover time.
                cutOff.partition(true);
                await().atMost(Duration.ofSeconds(30)).until(() -> b.heldShards().size() == 1);
                await().atMost(Duration.ofSeconds(30)).until(() -> byB.distinctPayloads() == 50);
                String ownerAfterTakeover = LeaseItems.owner(
                        LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).values().iterator().next());
                assertThat(ownerAfterTakeover).isEqualTo("b");

                // A reconnects and its processor wakes up: its checkpoint must be refused.
                cutOff.partition(false);
                wakeUp.countDown();
                Throwable refused = lateCheckpoint.get(30, TimeUnit.SECONDS);
                assertThat(refused).isInstanceOf(LeaseLostException.class);
                await().atMost(Duration.ofSeconds(10)).untilTrue(leaseLostCalled);

                var item = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).values().iterator().next();
                assertThat(LeaseItems.owner(item)).isEqualTo("b");
                assertThat(a.heldShards()).isEmpty();
            }
        }
    }
}
