package io.shardwise.testkit.engines;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.TestStream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

@ShardwiseTest
class SubscribeToShardIT {

    @Test
    void deliversRecordsOverHttp2CleartextAlsoAfterAQuietSpell(TestStream stream, LocalEngines engines)
            throws Exception {
        assertThat(engines.kinesisEndpoint().getScheme()).isEqualTo("http");
        List<String> early = List.of("one", "two", "three", "four", "five");
        List<String> late = List.of("six", "seven");
        put(engines, stream, early);

        KinesisAsyncClient http2 = engines.kinesisHttp2AsyncClient();
        String consumerArn = http2.registerStreamConsumer(b -> b.streamARN(stream.arn()).consumerName("fan-out"))
                .get(30, TimeUnit.SECONDS).consumer().consumerARN();
        awaitActive(http2, consumerArn);

        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> earlyReceived = new CompletableFuture<>();
        CompletableFuture<Void> allReceived = new CompletableFuture<>();
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .onError(e -> {
                    earlyReceived.completeExceptionally(e);
                    allReceived.completeExceptionally(e);
                })
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder()
                        .onSubscribeToShardEvent((SubscribeToShardEvent event) -> {
                            event.records().forEach(r -> received.add(r.data().asUtf8String()));
                            if (received.size() >= early.size()) {
                                earlyReceived.complete(null);
                            }
                            if (received.size() >= early.size() + late.size()) {
                                allReceived.complete(null);
                            }
                        }).build())
                .build();
        CompletableFuture<Void> subscription = http2.subscribeToShard(b -> b.consumerARN(consumerArn)
                .shardId("shardId-000000000000")
                .startingPosition(p -> p.type(ShardIteratorType.TRIM_HORIZON)), handler);
        try {
            earlyReceived.get(60, TimeUnit.SECONDS);
            // Longer than the client's 5 s HTTP/2 health-check ping period: the engine must answer pings.
            Thread.sleep(7_000);
            put(engines, stream, late);
            allReceived.get(60, TimeUnit.SECONDS);
        } finally {
            subscription.cancel(true);
        }
        assertThat(received).containsExactly("one", "two", "three", "four", "five", "six", "seven");
    }

    private static void put(LocalEngines engines, TestStream stream, List<String> values) {
        engines.kinesisClient().putRecords(b -> b.streamName(stream.name()).records(values.stream()
                .map(s -> PutRecordsRequestEntry.builder().partitionKey(s)
                        .data(SdkBytes.fromString(s, StandardCharsets.UTF_8)).build())
                .toList()));
    }

    private static void awaitActive(KinesisAsyncClient client, String consumerArn) throws Exception {
        for (int i = 0; i < 600; i++) {
            ConsumerStatus status = client.describeStreamConsumer(b -> b.consumerARN(consumerArn))
                    .get(30, TimeUnit.SECONDS).consumerDescription().consumerStatus();
            if (status == ConsumerStatus.ACTIVE) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("consumer " + consumerArn + " never became ACTIVE");
    }
}
