package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.RetrievalMode;
import io.shardwise.consumer.ShardwiseConsumer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Enhanced fan-out (SubscribeToShard over HTTP/2) delivers everything, in order per key, and checkpoints. */
@ShardwiseTest
@StreamShards(2)
class FanOutIT {

    @Test
    void fanOutDeliversEveryRecordWrittenBeforeAndWhileItRuns(LocalEngines engines, TestStream stream,
                                                              LeaseTableName table) throws Exception {
        List<String> before = Writes.numbered(engines.kinesisClient(), stream.name(), 0, 200, 10);
        Received received = new Received();
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(table.value())
                .streamArn(stream.arn()).kinesisClient(engines.kinesisHttp2AsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("fan-out-1")
                .initialPosition(InitialPosition.trimHorizon()).retrievalMode(RetrievalMode.FAN_OUT)
                .recordHandler(r -> received.add("fan-out-1", r)).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads() == before.size());
            List<String> during = Writes.numbered(engines.kinesisClient(), stream.name(), 200, 400, 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads()
                    == before.size() + during.size());
            assertThat(received.payloads()).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(before.stream(), during.stream()).toList());
        }
        ConsumerDeliveryIT.assertPerKeyOrder(received);
        var consumers = engines.kinesisClient().listStreamConsumers(b -> b.streamARN(stream.arn())).consumers();
        assertThat(consumers).extracting(c -> c.consumerName()).containsExactly(table.value());
        LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).values()
                .forEach(item -> assertThat(LeaseItems.checkpoint(item)).matches("[0-9]+"));
    }
}
