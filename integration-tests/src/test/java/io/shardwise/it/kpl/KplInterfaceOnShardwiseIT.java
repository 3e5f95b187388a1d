package io.shardwise.it.kpl;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.Futures;
import io.shardwise.aggregation.DeaggregatedRecord;
import io.shardwise.it.support.StreamReader;
import io.shardwise.it.support.StreamReader.StoredRecord;
import io.shardwise.kpl.ShardwiseKplProducer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * Code written for the KPL ({@link KplUserCode}) runs unchanged on {@link ShardwiseKplProducer}
 * against the local engines: two streams through one producer, every callback a success, every
 * record in its stream exactly once, in the shard and Kinesis record its result names.
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
        Map<String, List<String>> byKinesisRecord = new HashMap<>();
        for (String name : streams) {
            List<String> expected = IntStream.range(0, PER_STREAM).mapToObj(i -> userRecord(name, i)).toList();
            assertThat(readBack(kinesis, name, byKinesisRecord)).as("user records in stream %s", name)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        // Each result names the shard and the Kinesis record (an aggregate, mostly) that holds its record.
        for (int j = 0; j < outcome.futures().size(); j++) {
            String name = streams.get(j % streams.size());
            UserRecordResult result = Futures.getUnchecked(outcome.futures().get(j));
            assertThat(byKinesisRecord.get(name + "/" + result.getShardId() + "/" + result.getSequenceNumber()))
                    .as("the Kinesis record the result of record %d of %s names", j / streams.size(), name)
                    .contains(userRecord(name, j / streams.size()));
        }
    }

    private static String userRecord(String stream, int i) {
        return "key-" + (i % KEYS) + "=" + stream + "|" + i;
    }

    /**
     * Every user record of the stream, aggregates unpacked, as "partitionKey=data"; also filed under
     * "stream/shard/sequence number" of the Kinesis record that carried it.
     */
    private static List<String> readBack(KinesisClient kinesis, String streamName, Map<String, List<String>> byKinesisRecord) {
        List<String> records = new ArrayList<>();
        for (StoredRecord stored : new StreamReader(kinesis).readAll(streamName)) {
            String place = streamName + "/" + stored.shard().shardId() + "/" + stored.record().sequenceNumber();
            for (DeaggregatedRecord user : stored.deaggregate().records()) {
                String record = user.partitionKey() + "=" + new String(user.data(), StandardCharsets.UTF_8);
                records.add(record);
                byKinesisRecord.computeIfAbsent(place, k -> new ArrayList<>()).add(record);
            }
        }
        return records;
    }
}
