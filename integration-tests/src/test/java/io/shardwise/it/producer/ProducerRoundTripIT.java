package io.shardwise.it.producer;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shardwise.producer.InvalidRecordException;
import io.shardwise.producer.KinesisProducer;
import io.shardwise.producer.SendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Everything the producer sends comes back from the local Kinesis, once, in per-key order. */
@ShardwiseTest
class ProducerRoundTripIT {
    @Test
    @StreamShards(4)
    void everyRecordComesBackOnceInPerKeyOrder(LocalEngines engines, TestStream stream, KinesisClient kinesis)
            throws Exception {
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        Map<String, Payloads.ReadBack> readBack;
        try (KinesisProducer producer = KinesisProducer.builder().stream(stream.arn())
                .endpoint(engines.kinesisEndpoint()).region(engines.region()).credentials(engines.credentials())
                .build()) {
            for (int i = 0; i < 4_000; i++) {
                String key = "key-" + (i % 97) + (i % 7 == 0 ? "-ключ" : "");
                futures.add(producer.send(key, Payloads.payload(key, i, 100)));
            }
            CompletableFuture<SendResult> invalid = producer.send("", new byte[1]);
            producer.flush().get(60, TimeUnit.SECONDS);
            assertThat(catchThrowable(invalid::join)).hasCauseInstanceOf(InvalidRecordException.class);
            assertThat(producer.outstandingRecords()).isZero();
            assertThat(producer.bufferedBytes()).isZero();
        }
        readBack = Payloads.readBackInOrder(kinesis, stream.name());
        assertThat(readBack).hasSize(4_000);
        for (int i = 0; i < futures.size(); i++) {
            SendResult result = futures.get(i).join();
            String key = "key-" + (i % 97) + (i % 7 == 0 ? "-ключ" : "");
            Payloads.ReadBack stored = readBack.get(key + "|" + i);
            assertThat(stored.shardId()).isEqualTo(result.shardId());
            assertThat(stored.sequenceNumber()).isEqualTo(result.sequenceNumber());
            assertThat(stored.subSequenceNumber()).isEqualTo(result.subSequenceNumber());
        }
        // Aggregation did its job: far fewer Kinesis records than user records.
        long kinesisRecords = futures.stream().map(f -> f.join().sequenceNumber()).distinct().count();
        assertThat(kinesisRecords).isLessThan(400);
    }
}
