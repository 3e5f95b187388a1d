package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultKind;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.ShardwiseConsumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A processor that checkpoints only when asked to shut down (as one that checkpoints every minute
 * would, between its checkpoints), after flushing what it buffered for a moment. A lease may change hands only after that final checkpoint: at a
 * balancing handoff and at a graceful close, nothing is processed twice and nothing is missed.
 */
@ShardwiseTest
@StreamShards(2)
class ShutdownCheckpointIT {

    @Test
    void leasesChangeHandsOnlyAfterTheFinalCheckpoint(LocalEngines engines, TestStream stream, LeaseTableName table)
            throws Exception {
        handOverAndClose(engines, stream, table, engines.dynamoDbClient());
    }

    /** The same through the DynamoDB fault proxy: every write of the closing worker slow, a fifth throttled. */
    @Test
    void leasesChangeHandsOnlyAfterTheFinalCheckpointOnASlowThrottlingTable(LocalEngines engines, TestStream stream,
                                                                            LeaseTableName table) throws Exception {
        try (FaultProxy dynamo = FaultProxy.builder(engines.dynamoDbEndpoint()).seed(21)
                .latency("UpdateItem", Duration.ofMillis(150)).throttleCalls("UpdateItem", 0.2).start()) {
            try (DynamoDbClient client = TestClients.dynamoWithoutSdkRetries(engines, dynamo.endpoint())) {
                handOverAndClose(engines, stream, table, client);
            }
            assertThat(dynamo.counts().injected(FaultKind.THROTTLED_CALL, "UpdateItem")).isPositive();
        }
    }

    private static void handOverAndClose(LocalEngines engines, TestStream stream, LeaseTableName table,
                                         DynamoDbClient closingWorkersTable) throws Exception {
        Received received = new Received();
        List<String> written;
        try (ContinuousWriter writer = new ContinuousWriter(engines.kinesisClient(), stream.name(), 8, 8, 100)) {
            ShardwiseConsumer a = worker(engines, stream, table, "a", received, closingWorkersTable);
            a.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.heldShards().size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() > 50);
            try (ShardwiseConsumer b = worker(engines, stream, table, "b", received, engines.dynamoDbClient())) {
                b.start();
                // A balancing handoff: A checkpoints in shutdownRequested, then hands the lease to B.
                await().atMost(Duration.ofSeconds(30)).until(() -> b.heldShards().size() == 1
                        && a.heldShards().size() == 1);
                Thread.sleep(2_000);
                // A graceful close: A's last shard is checkpointed before B may take it.
                a.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> b.heldShards().size() == 2);
                Thread.sleep(1_000);
                written = writer.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() == written.size());
            }
        }
        assertThat(received.payloads()).as("each record once: no lease moved before its final checkpoint")
                .containsExactlyInAnyOrderElementsOf(written);
        ConsumerDeliveryIT.assertPerKeyOrder(received);
    }

    private static ShardwiseConsumer worker(LocalEngines engines, TestStream stream, LeaseTableName table,
                                            String id, Received received, DynamoDbClient dynamo) {
        return LocalWorkers.worker(engines, stream, table, id).dynamoDbClient(dynamo)
                .processorFactory(shard -> new CheckpointOnlyAtShutdown(id, received)).build();
    }

    /** Processes every record; flushes for 1.5 s and checkpoints at shutdown; checkpoints at the shard's end. */
    private record CheckpointOnlyAtShutdown(String worker, Received received) implements RecordProcessor {
        @Override
        public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
            records.forEach(r -> received.add(worker, r));
        }

        @Override
        public void shutdownRequested(Checkpointer checkpointer) {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            checkpointer.checkpoint();
        }

        @Override
        public void shardEnded(Checkpointer checkpointer) {
            checkpointer.checkpoint();
        }
    }
}
