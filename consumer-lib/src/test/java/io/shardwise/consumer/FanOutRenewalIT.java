package io.shardwise.consumer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.kinesis.StreamReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * A fan-out subscription is renewed from the continuation sequence number: with a 3 s renewal and
 * records written over about 10 s, several subscriptions are made and every record arrives once, in order.
 */
@ShardwiseTest
@StreamShards(1)
class FanOutRenewalIT {
    private static final int BATCHES = 10;
    private static final int PER_BATCH = 5;

    @Test
    void renewalsFromTheContinuationDeliverEveryRecordOnceInOrder(LocalEngines engines, TestStream stream)
            throws Exception {
        KinesisAsyncClient kinesis = engines.kinesisHttp2AsyncClient();
        String shardId = engines.kinesisClient().listShards(b -> b.streamName(stream.name())).shards().get(0).shardId();
        StreamReference ref = new StreamReference(stream.name(), stream.arn());
        FanOutRegistration registration = new FanOutRegistration(kinesis, ref, engines.uniqueName("renewal"));
        StopSignal stop = new StopSignal();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < BATCHES * PER_BATCH; i++) {
            expected.add("record-" + i);
        }
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        List<String> received = new ArrayList<>();
        try (FanOutRetriever retriever = new FanOutRetriever(registration,
                new ReadStart(shardId, Checkpoint.TRIM_HORIZON, null), stop, Duration.ofSeconds(3))) {
            // One batch per second, so the writes span three renewals.
            for (int b = 0; b < BATCHES; b++) {
                int batch = b;
                writer.schedule(() -> {
                    for (int i = batch * PER_BATCH; i < (batch + 1) * PER_BATCH; i++) {
                        String payload = "record-" + i;
                        engines.kinesisClient().putRecord(r -> r.streamName(stream.name()).partitionKey("k")
                                .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)));
                    }
                }, batch, TimeUnit.SECONDS);
            }
            // A watchdog: next() returns null once stopped, so a stuck subscription fails the test.
            writer.schedule(() -> stop.requestShutdown(null), 60, TimeUnit.SECONDS);
            while (received.size() < expected.size()) {
                RecordBatch batch = retriever.next();
                assertThat(batch).isNotNull();
                for (Record r : batch.records()) {
                    received.add(r.data().asUtf8String());
                }
            }
            assertThat(received).containsExactlyElementsOf(expected);
            assertThat(retriever.subscriptions()).isGreaterThanOrEqualTo(3);
        } finally {
            writer.shutdownNow();
            stop.requestShutdown(null);
        }
    }
}
