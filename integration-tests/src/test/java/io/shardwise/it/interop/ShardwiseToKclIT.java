package io.shardwise.it.interop;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.kcl.CheckpointingShardRecordProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.aggregation.UserRecord;
import io.shardwise.it.support.KclWorker;
import io.shardwise.it.support.StreamReader;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Aggregates written by our encoder are read by the real KCL: every user record arrives with its
 * partition key, explicit hash key, data, and the sub-sequence number of its place in the aggregate.
 */
@ShardwiseTest
class ShardwiseToKclIT {
    private static final int RECORDS = 2_000;

    /** What the KCL must report for one user record. */
    record Expected(String partitionKey, String explicitHashKey, List<Byte> data, boolean aggregated) {}

    @Test
    @StreamShards(2)
    void theKclSeesEveryUserRecordOfOurAggregates(LocalEngines engines, TestStream stream, KinesisClient kinesis,
                                                  LeaseTableName application) throws Exception {
        List<Shard> shards = StreamReader.listShards(kinesis, stream.name());
        Map<String, RecordAggregator> aggregatorByShard = new LinkedHashMap<>();
        List<List<UserRecord>> contents = new ArrayList<>();
        List<KinesisRecord> kinesisRecords = new ArrayList<>();
        Map<String, List<UserRecord>> pendingByShard = new HashMap<>();

        Random random = new Random(7);
        for (int i = 0; i < RECORDS; i++) {
            String key = "user-" + random.nextInt(400) + (i % 5 == 0 ? "-ключ" : "");
            String explicitHashKey = i % 9 == 0 ? new BigInteger(128, random).toString() : null;
            byte[] data = new byte[random.nextInt(500)];
            random.nextBytes(data);
            String shardId = shardOf(shards, HashKeys.effective(key, explicitHashKey));
            RecordAggregator aggregator = aggregatorByShard.computeIfAbsent(shardId, s -> new RecordAggregator());
            List<UserRecord> pending = pendingByShard.computeIfAbsent(shardId, s -> new ArrayList<>());
            if (!aggregator.tryAdd(key, explicitHashKey, data)) {
                kinesisRecords.add(aggregator.emit());
                contents.add(new ArrayList<>(pending));
                pending.clear();
                assertThat(aggregator.tryAdd(key, explicitHashKey, data)).isTrue();
            }
            pending.add(new UserRecord(key, explicitHashKey, data));
        }
        aggregatorByShard.forEach((shardId, aggregator) -> {
            if (!aggregator.isEmpty()) {
                kinesisRecords.add(aggregator.emit());
                contents.add(new ArrayList<>(pendingByShard.get(shardId)));
            }
        });
        // One record alone is sent plain, as the KPL does; make sure the KCL sees that case too.
        RecordAggregator single = new RecordAggregator();
        single.tryAdd("lonely", null, new byte[] {42});
        kinesisRecords.add(single.emit());
        contents.add(List.of(new UserRecord("lonely", null, new byte[] {42})));

        Map<String, List<Expected>> expectedBySequence = new HashMap<>();
        for (int i = 0; i < kinesisRecords.size(); i++) {
            KinesisRecord record = kinesisRecords.get(i);
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream.name()).records(
                    PutRecordsRequestEntry.builder().partitionKey(record.partitionKey())
                            .explicitHashKey(record.explicitHashKey()).data(SdkBytes.fromByteArray(record.data())).build()));
            assertThat(response.failedRecordCount()).isZero();
            List<Expected> expected = contents.get(i).stream()
                    .map(u -> new Expected(u.partitionKey(), u.explicitHashKey(), bytes(u.data()), record.aggregated()))
                    .toList();
            expectedBySequence.put(response.records().get(0).sequenceNumber(), expected);
        }
        assertThat(kinesisRecords.stream().filter(KinesisRecord::aggregated).count()).isGreaterThan(10);

        Map<String, Expected> seen = new ConcurrentHashMap<>();
        try (KclWorker kcl = new KclWorker(engines, stream.name(), application.value(), "kcl-reader",
                () -> new CollectingProcessor(seen))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> seen.size() >= RECORDS + 1);
        }

        assertThat(seen).hasSize(RECORDS + 1);
        expectedBySequence.forEach((sequence, users) -> {
            for (int sub = 0; sub < users.size(); sub++) {
                assertThat(seen.get(sequence + "/" + sub)).as("record %s/%s", sequence, sub).isEqualTo(users.get(sub));
            }
        });
    }

    private static String shardOf(List<Shard> shards, BigInteger hashKey) {
        return shards.stream()
                .filter(s -> HashKeyRange.of(s.hashKeyRange().startingHashKey(), s.hashKeyRange().endingHashKey())
                        .contains(hashKey))
                .findFirst().orElseThrow().shardId();
    }

    private static List<Byte> bytes(byte[] data) {
        List<Byte> list = new ArrayList<>(data.length);
        for (byte b : data) {
            list.add(b);
        }
        return list;
    }

    /** Records what the KCL hands over, keyed by sequence number and sub-sequence number; checkpoints every batch and at shard end. */
    static final class CollectingProcessor extends CheckpointingShardRecordProcessor {
        private final Map<String, Expected> seen;

        CollectingProcessor(Map<String, Expected> seen) {
            this.seen = seen;
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            for (KinesisClientRecord record : input.records()) {
                byte[] data = new byte[record.data().remaining()];
                record.data().get(data);
                seen.put(record.sequenceNumber() + "/" + record.subSequenceNumber(),
                        new Expected(record.partitionKey(), record.explicitHashKey(), bytes(data), record.aggregated()));
            }
            checkpoint(input.checkpointer());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
        }
    }
}
