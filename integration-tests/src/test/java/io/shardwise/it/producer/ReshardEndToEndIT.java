package io.shardwise.it.producer;

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
import io.shardwise.it.support.StreamReader;
import io.shardwise.producer.KinesisProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * One rule for sub-records outside their shard's range, end to end: the producer aggregates with a
 * map that a split makes stale while it sends, so some aggregates land with sub-records of the other
 * child. It re-sends those to the right shard; the consumer drops the misplaced copies. Each record
 * is delivered exactly once, per key in the order sent, and flush completes.
 */
@ShardwiseTest
class ReshardEndToEndIT {

    @Test
    @StreamShards(2)
    void aSplitWhileSendingDeliversEachRecordOnce(LocalEngines engines, TestStream stream, KinesisClient kinesis,
                                                  LeaseTableName table) throws Exception {
        List<String> delivered = new CopyOnWriteArrayList<>();
        List<String> sent = new ArrayList<>();
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(table.value())
                .streamName(stream.name()).kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("c")
                .initialPosition(InitialPosition.trimHorizon())
                .recordHandler(r -> delivered.add(identity(r.data()))).build();
             KinesisProducer producer = KinesisProducer.builder().stream(stream.name())
                     .endpoint(engines.kinesisEndpoint()).region(engines.region()).credentials(engines.credentials())
                     .maxBufferedTime(Duration.ofMillis(20)).build()) {
            consumer.start();
            producer.ready().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 1_200; i++) {
                if (i == 400) {
                    Reshard.splitInHalf(kinesis, stream.name(), StreamReader.listShards(kinesis, stream.name()).get(0));
                }
                String key = "key-" + (i % 60);
                producer.send(key, Payloads.payload(key, i, 100));
                sent.add(key + "|" + i);
                if (i % 50 == 0) {
                    Thread.sleep(20);
                }
            }
            producer.flush().get(120, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(90)).until(() -> delivered.containsAll(sent));
            Thread.sleep(2_000);
        }
        assertThat(delivered).as("each record delivered once").containsExactlyInAnyOrderElementsOf(sent);
        Map<String, Integer> lastByKey = new HashMap<>();
        for (String record : delivered) {
            String key = record.substring(0, record.indexOf('|'));
            int n = Integer.parseInt(record.substring(record.indexOf('|') + 1));
            Integer last = lastByKey.put(key, n);
            assertThat(last == null || last < n).as("order of %s: %s after %s", key, n, last).isTrue();
        }
    }

    private static String identity(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf('|', text.indexOf('|') + 1));
    }
}
