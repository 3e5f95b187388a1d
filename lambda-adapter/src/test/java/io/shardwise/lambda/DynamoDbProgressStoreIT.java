package io.shardwise.lambda;

import static io.shardwise.lambda.KplEventFixtures.ARN;
import static io.shardwise.lambda.KplEventFixtures.SEQ_A;
import static io.shardwise.lambda.KplEventFixtures.SEQ_B;
import static io.shardwise.lambda.KplEventFixtures.SHARD;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.shardwise.testkit.LocalEngines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The progress store against DynamoDB Local, and the exact resume it gives a replayed aggregate. */
class DynamoDbProgressStoreIT {

    private final DynamoDbClient dynamo = LocalEngines.shared().dynamoDbClient();
    private DynamoDbProgressStore store;

    @BeforeEach
    void createTable() {
        String table = LocalEngines.shared().uniqueName("progress");
        DynamoDbProgressStore.createTable(dynamo, table);
        store = DynamoDbProgressStore.of(dynamo, table);
    }

    /** Fails each listed position the given number of times; counts successful runs per position. */
    private static final class FlakyHandler extends KinesisBatchHandler {
        final Map<String, Integer> failuresLeft = new HashMap<>();
        final Map<String, Integer> successes = new HashMap<>();
        final List<String> attempts = new ArrayList<>();

        FlakyHandler(KinesisBatchProcessor processor, Map<String, Integer> failures) {
            super(processor);
            failuresLeft.putAll(failures);
        }

        @Override
        protected void handleRecord(KinesisUserRecord record, Context context) {
            String position = record.position().toString();
            attempts.add(position);
            if (failuresLeft.getOrDefault(position, 0) > 0) {
                failuresLeft.merge(position, -1, Integer::sum);
                throw new IllegalStateException("chosen failure at " + position);
            }
            successes.merge(position, 1, Integer::sum);
        }
    }

    /** What Lambda sends after a partial failure: the same records, from the lowest reported one on. */
    private static KinesisEvent replayFrom(KinesisEvent event, String sequenceNumber) {
        KinesisEvent replay = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords();
        int from = 0;
        while (!records.get(from).getKinesis().getSequenceNumber().equals(sequenceNumber)) {
            from++;
        }
        replay.setRecords(new ArrayList<>(records.subList(from, records.size())));
        return replay;
    }

    private static List<String> failures(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static KinesisEvent mixed() {
        return EventLoader.loadKinesisEvent("events/kinesis-kpl-mixed.json");
    }

    @Test
    void positionsOnlyMoveForward() {
        assertThat(store.load(ARN, SHARD)).isEmpty();
        assertThat(store.save(ARN, SHARD, new RecordPosition(SEQ_A, 1))).isTrue();
        assertThat(store.save(ARN, SHARD, new RecordPosition(SEQ_A, 0))).isFalse();
        assertThat(store.save(ARN, SHARD, new RecordPosition(SEQ_A, 1))).isFalse();
        assertThat(store.save(ARN, SHARD, new RecordPosition("9", 99))).isFalse();
        assertThat(store.load(ARN, SHARD)).contains(new RecordPosition(SEQ_A, 1));
        assertThat(store.save(ARN, SHARD, new RecordPosition(SEQ_B, 0))).isTrue();
        assertThat(store.load(ARN, SHARD)).contains(new RecordPosition(SEQ_B, 0));
        assertThat(store.load(ARN, "shardId-000000000009")).isEmpty();
    }

    @Test
    void withTheStoreAReplayedAggregateSkipsItsFinishedSubRecords() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().progressStore(store).build();
        FlakyHandler handler = new FlakyHandler(processor, Map.of(SEQ_A + "/2", 2));

        KinesisEvent event = mixed();
        assertThat(failures(handler.handleRequest(event, null))).containsExactly(SEQ_A);
        assertThat(store.load(ARN, SHARD)).contains(new RecordPosition(SEQ_A, 1));
        assertThat(failures(handler.handleRequest(replayFrom(event, SEQ_A), null))).containsExactly(SEQ_A);
        assertThat(failures(handler.handleRequest(replayFrom(event, SEQ_A), null))).isEmpty();

        assertThat(handler.successes).hasSize(10).allSatisfy((position, runs) -> assertThat(runs).isOne());
        assertThat(handler.attempts).containsExactly(
                KplEventFixtures.SEQ_PLAIN_1 + "/0", SEQ_A + "/0", SEQ_A + "/1", SEQ_A + "/2",
                SEQ_A + "/2",
                SEQ_A + "/2", SEQ_A + "/3", KplEventFixtures.SEQ_PLAIN_2 + "/0", KplEventFixtures.SEQ_CORRUPT + "/0",
                SEQ_B + "/0", SEQ_B + "/1", SEQ_B + "/2");
    }

    @Test
    void withoutTheStoreTheWholeAggregateIsReplayed() {
        FlakyHandler handler = new FlakyHandler(KinesisBatchProcessor.builder().build(), Map.of(SEQ_A + "/2", 1));

        KinesisEvent event = mixed();
        assertThat(failures(handler.handleRequest(event, null))).containsExactly(SEQ_A);
        assertThat(failures(handler.handleRequest(replayFrom(event, SEQ_A), null))).isEmpty();

        assertThat(handler.successes).containsEntry(SEQ_A + "/0", 2).containsEntry(SEQ_A + "/1", 2)
                .containsEntry(SEQ_A + "/2", 1).containsEntry(SEQ_B + "/0", 1);
    }

    @Test
    void continueModeStoresOnlyTheFinishedPrefixOfTheFirstFailedAggregate() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder()
                .failureMode(FailureMode.CONTINUE).progressStore(store).build();
        FlakyHandler handler = new FlakyHandler(processor, Map.of(SEQ_A + "/1", 1, SEQ_B + "/1", 1));

        KinesisEvent event = mixed();
        assertThat(failures(handler.handleRequest(event, null))).containsExactly(SEQ_A, SEQ_B);
        assertThat(store.load(ARN, SHARD)).contains(new RecordPosition(SEQ_A, 0));

        assertThat(failures(handler.handleRequest(replayFrom(event, SEQ_A), null))).isEmpty();
        assertThat(handler.successes).containsEntry(SEQ_A + "/0", 1).containsEntry(SEQ_A + "/1", 1)
                .containsEntry(SEQ_A + "/2", 2).containsEntry(SEQ_B + "/1", 1);
    }

    @Test
    void plainRecordsNeverReadTheStore() {
        ProgressStore counting = new ProgressStore() {
            int reads;

            @Override
            public java.util.Optional<RecordPosition> load(String arn, String shardId) {
                reads++;
                throw new AssertionError("read " + reads + " for a plain event");
            }

            @Override
            public boolean save(String arn, String shardId, RecordPosition position) {
                return store.save(arn, shardId, position);
            }
        };
        FlakyHandler handler = new FlakyHandler(KinesisBatchProcessor.builder().progressStore(counting).build(), Map.of());
        assertThat(failures(handler.handleRequest(EventLoader.loadKinesisEvent("events/kinesis-plain.json"), null))).isEmpty();
        assertThat(handler.successes).hasSize(2);
    }
}
