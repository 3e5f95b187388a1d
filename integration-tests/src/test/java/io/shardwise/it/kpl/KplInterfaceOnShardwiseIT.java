package io.shardwise.it.kpl;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.it.support.StreamReader;
import io.shardwise.it.support.StreamReader.StoredRecord;
import io.shardwise.kpl.ShardwiseKplProducer;
import io.shardwise.testkit.LocalEngines;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * Code written for the KPL ({@link KplUserCode}) runs unchanged on {@link ShardwiseKplProducer}
 * against the local engines: two streams through one producer, every callback a success, every
 * record in its stream exactly once.
 */
@ShardwiseTest
class KplInterfaceOnShardwiseIT {
    private static final int PER_STREAM = 300;
    private static final int KEYS = 37;

    @Test
    @StreamShards(2)
    void kplCodeRunsUnchangedAndEveryRecordArrives(LocalEngines engines, TestStream stream, KinesisClient kinesis) {
        String second = engines.uniqueName("kpl-adapter-second");
        engines.createStream(second, 1);
        List<String> streams = List.of(stream.name(), second);

        ShardwiseKplProducer producer = ShardwiseKplProducer.builder()
                .region(engines.region())
                .endpoint(engines.kinesisEndpoint())
                .credentials(engines.credentials())
                .build();
        KplUserCode.Outcome outcome = KplUserCode.putAll(producer, streams, PER_STREAM, KEYS);

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.outstandingAfterFlush()).isZero();
        assertThat(outcome.successes()).hasSize(2 * PER_STREAM);
        for (UserRecordResult result : outcome.successes()) {
            assertThat(result.isSuccessful()).isTrue();
            assertThat(result.getShardId()).startsWith("shardId-");
            assertThat(result.getSequenceNumber()).isNotBlank();
            assertThat(result.getAttempts()).isNotEmpty();
            assertThat(result.getAttempts().get(result.getAttempts().size() - 1).isSuccessful()).isTrue();
        }
        for (String name : streams) {
            List<String> expected = IntStream.range(0, PER_STREAM).mapToObj(i -> "key-" + (i % KEYS) + "=" + name + "|" + i)
                    .toList();
            assertThat(readBack(kinesis, name)).as("user records in stream %s", name)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Every user record of the stream, aggregates unpacked, as "partitionKey=data". */
    private static List<String> readBack(KinesisClient kinesis, String streamName) {
        List<String> records = new ArrayList<>();
        for (StoredRecord stored : new StreamReader(kinesis).readAll(streamName)) {
            for (DeaggregatedRecord user : stored.deaggregate().records()) {
                records.add(user.partitionKey() + "=" + new String(user.data(), StandardCharsets.UTF_8));
            }
        }
        return records;
    }
}
