package io.shardwise.lambda;

import io.shardwise.testkit.engines.LocalEngines;

import static io.shardwise.lambda.KplEventFixtures.ARN;
import static io.shardwise.lambda.KplEventFixtures.SEQ_A;
import static io.shardwise.lambda.KplEventFixtures.SEQ_B;
import static io.shardwise.lambda.KplEventFixtures.SHARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.shardwise.testkit.lambda.LocalLambdaContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

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

    private static AggregateKey key(String sequenceNumber) {
        return new AggregateKey(KinesisBatchProcessor.UNNAMED_CONSUMER, ARN, SHARD, sequenceNumber);
    }

    @Test
    void progressInsideAnAggregateOnlyMovesForward() {
        assertThat(store.load(key(SEQ_A))).isEmpty();
        assertThat(store.save(key(SEQ_A), 1)).isTrue();
        assertThat(store.save(key(SEQ_A), 0)).isFalse();
        assertThat(store.save(key(SEQ_A), 1)).isFalse();
        assertThat(store.load(key(SEQ_A))).hasValue(1);
        assertThat(store.save(key(SEQ_A), 3)).isTrue();
        assertThat(store.load(key(SEQ_A))).hasValue(3);
        assertThat(store.load(key(SEQ_B))).as("another aggregate of the shard").isEmpty();
        assertThat(store.load(new AggregateKey("other-function", ARN, SHARD, SEQ_A))).as("another consumer").isEmpty();
    }

    @Test
    void aTableOfThePerShardSchemaIsNamedWithTheFix() {
        String old = LocalEngines.shared().uniqueName("progress-old");
        dynamo.createTable(b -> b.tableName(old).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("eventSourceArn").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("shardId").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("eventSourceArn").keyType(KeyType.HASH),
                        k -> k.attributeName("shardId").keyType(KeyType.RANGE)));
        DynamoDbProgressStore stale = DynamoDbProgressStore.of(dynamo, old);
        assertThatThrownBy(() -> stale.load(key(SEQ_A))).hasMessageContaining(old)
                .hasMessageContaining("DynamoDbProgressStore.createTable");
    }

    @Test
    void withTheStoreAReplayedAggregateSkipsItsFinishedSubRecords() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().progressStore(store).build();
        FlakyHandler handler = new FlakyHandler(processor, Map.of(SEQ_A + "/2", 2));

        KinesisEvent event = mixed();
        assertThat(failures(handler.handleRequest(event, null))).containsExactly(SEQ_A);
        assertThat(store.load(key(SEQ_A))).hasValue(1);
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
        assertThat(store.load(key(SEQ_A))).hasValue(0);
        assertThat(store.load(key(SEQ_B))).as("only the first failed aggregate's prefix").isEmpty();

        assertThat(failures(handler.handleRequest(replayFrom(event, SEQ_A), null))).isEmpty();
        assertThat(handler.successes).containsEntry(SEQ_A + "/0", 1).containsEntry(SEQ_A + "/1", 1)
                .containsEntry(SEQ_A + "/2", 2).containsEntry(SEQ_B + "/1", 1);
    }

    private static String seq(int n) {
        return "49590338271490256608559692538361571095921575989136589" + String.format("%03d", n);
    }

    private static KinesisEvent event(KplEventFixtures.Entry... entries) {
        return LambdaEventSerializers.serializerFor(KinesisEvent.class, KinesisEvent.class.getClassLoader())
                .fromJson(KplEventFixtures.eventJson(List.of(entries)));
    }

    private static KplEventFixtures.Entry aggregateAt(int n, String keyPrefix, int firstId, int count) {
        io.shardwise.aggregation.KinesisRecord aggregate = KplEventFixtures.aggregate(keyPrefix, firstId, count);
        return new KplEventFixtures.Entry(aggregate.partitionKey(), seq(n), aggregate.data());
    }

    private static KplEventFixtures.Entry plainAt(int n) {
        return new KplEventFixtures.Entry("plain-" + n, seq(n), KplEventFixtures.utf8("plain " + n));
    }

    /**
     * ParallelizationFactor > 1: two batches of one shard run at the same time, their sequence
     * numbers interleave. The progress one saved inside its aggregate must not make the other skip
     * its own records, plain or aggregated, that lie before that position.
     */
    @Test
    void concurrentBatchesOfOneShardNeverSkipEachOthersRecords() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().progressStore(store).build();
        FlakyHandler handler = new FlakyHandler(processor, Map.of(seq(10) + "/2", 1));
        Context context = KplEventFixtures.context(60_000);

        KinesisEvent first = event(aggregateAt(10, "x-", 1, 4), plainAt(11));
        assertThat(failures(handler.handleRequest(first, context))).containsExactly(seq(10));

        // The other batch, in flight at the same time: its records lie before seq(10) and after it.
        KinesisEvent second = event(aggregateAt(5, "y-", 1, 3), plainAt(7), aggregateAt(12, "z-", 1, 2));
        assertThat(failures(handler.handleRequest(second, context))).isEmpty();

        // The replay of the first batch skips only the finished sub-records of its own aggregate.
        assertThat(failures(handler.handleRequest(replayFrom(first, seq(10)), context))).isEmpty();

        assertThat(handler.successes).containsOnlyKeys(
                seq(10) + "/0", seq(10) + "/1", seq(10) + "/2", seq(10) + "/3", seq(11) + "/0",
                seq(5) + "/0", seq(5) + "/1", seq(5) + "/2", seq(7) + "/0", seq(12) + "/0", seq(12) + "/1");
        assertThat(handler.successes).allSatisfy((position, runs) -> assertThat(runs).as(position).isOne());
    }

    /** Two functions (or mappings) share the table: one's progress must not skip the other's records. */
    @Test
    void functionsSharingTheTableKeepTheirOwnProgress() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().progressStore(store).build();
        FlakyHandler orders = new FlakyHandler(processor, Map.of(seq(20) + "/2", 1));
        FlakyHandler audit = new FlakyHandler(processor, Map.of());
        KinesisEvent event = event(aggregateAt(20, "o-", 1, 4));

        assertThat(failures(orders.handleRequest(event, LocalLambdaContext.withRemainingTime(
                "arn:aws:lambda:us-east-1:123456789012:function:orders", 60_000)))).containsExactly(seq(20));
        assertThat(failures(audit.handleRequest(event, LocalLambdaContext.withRemainingTime(
                "arn:aws:lambda:us-east-1:123456789012:function:audit", 60_000)))).isEmpty();

        assertThat(audit.successes).containsOnlyKeys(seq(20) + "/0", seq(20) + "/1", seq(20) + "/2", seq(20) + "/3");
    }

    @Test
    void plainRecordsNeverReadTheStore() {
        ProgressStore counting = new ProgressStore() {
            int reads;

            @Override
            public java.util.OptionalLong load(AggregateKey aggregate) {
                reads++;
                throw new AssertionError("read " + reads + " for a plain event");
            }

            @Override
            public boolean save(AggregateKey aggregate, long subSequenceNumber) {
                return store.save(aggregate, subSequenceNumber);
            }
        };
        FlakyHandler handler = new FlakyHandler(KinesisBatchProcessor.builder().progressStore(counting).build(), Map.of());
        assertThat(failures(handler.handleRequest(EventLoader.loadKinesisEvent("events/kinesis-plain.json"), null))).isEmpty();
        assertThat(handler.successes).hasSize(2);
    }
}
