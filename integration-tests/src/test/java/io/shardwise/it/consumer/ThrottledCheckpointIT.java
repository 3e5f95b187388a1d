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

import io.shardwise.consumer.ShardwiseConsumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A RecordHandler's checkpoints on a table that throttles half of its writes: a throttled
 * checkpoint is retried as a checkpoint, so the handler sees every record exactly once. The client
 * has the SDK's retries off, as the consumer's documentation asks. The heartbeat is the same
 * operation and is throttled as often: a failover time of 10 s gives it room for enough retries
 * that the test is about checkpoints, not about the heartbeat's tolerance (at the default 3.5 s a
 * heartbeat has about 0.7 s, some five attempts, before the worker fences itself).
 */
@ShardwiseTest
@StreamShards(2)
class ThrottledCheckpointIT {

    @Test
    void throttledCheckpointsNeverMakeTheHandlerRunABatchAgain(LocalEngines engines, TestStream stream,
                                                              LeaseTableName table) throws Exception {
        Received received = new Received();
        List<String> written;
        try (FaultProxy dynamo = FaultProxy.builder(engines.dynamoDbEndpoint()).seed(31).start();
             DynamoDbClient client = TestClients.dynamoWithoutSdkRetries(engines, dynamo.endpoint());
             ContinuousWriter writer = new ContinuousWriter(engines.kinesisClient(), stream.name(), 8, 8, 100);
             ShardwiseConsumer worker = LocalWorkers.worker(engines, stream, table, "w")
                     .dynamoDbClient(client).failoverTime(Duration.ofSeconds(10))
                     .recordHandler(r -> received.add("w", r)).build()) {
            worker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.heldShards().size() == 2);
            dynamo.updateRules(r -> r.throttleCalls("UpdateItem", 0.5));
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    dynamo.counts().injected(FaultKind.THROTTLED_CALL, "UpdateItem") >= 60);
            dynamo.updateRules(r -> r.throttleCalls("UpdateItem", 0));
            written = writer.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.distinctPayloads() == written.size());
            System.out.printf("throttled checkpoint and heartbeat writes: %d%n",
                    dynamo.counts().injected(FaultKind.THROTTLED_CALL, "UpdateItem"));
        }
        assertThat(received.payloads()).as("each record handled once").containsExactlyInAnyOrderElementsOf(written);
    }
}
