package io.shardwise.it.lambda;

import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.lambda.LocalEventSourceMapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.lambda.DynamoDbProgressStore;
import io.shardwise.lambda.KinesisBatchHandler;
import io.shardwise.lambda.KinesisBatchProcessor;
import io.shardwise.lambda.KinesisUserRecord;
import io.shardwise.lambda.KinesisWindowHandler;
import io.shardwise.lambda.UserRecordHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The Lambda adapter under the local event source mapping as Lambda runs it with
 * ParallelizationFactor 4 (concurrent batches of one shard, interleaved sequence numbers) and with
 * a tumbling window, over KPL aggregates: each key's user records are packed into aggregates whose
 * outer partition key is the key, so a key stays in one lane, in order.
 */
class ParallelBatchesThroughLambdaIT {

    private static final Duration IDLE = Duration.ofSeconds(120);
    private static final int KEYS = 8;
    private static final int AGGREGATES_PER_KEY = 3;
    private static final int PER_AGGREGATE = 4;
    private static final int FAILURES = 2;

    private final LocalEngines engines = LocalEngines.shared();

    /** What the stream holds: payloads per key in order, and the aggregates (payload lists) written. */
    private record Written(String streamArn, Map<String, List<String>> perKey, List<List<String>> aggregates) {
        int userRecords() {
            return perKey.values().stream().mapToInt(List::size).sum();
        }
    }

    /**
     * Writes, for each key, {@code AGGREGATES_PER_KEY} aggregates of {@code PER_AGGREGATE} user
     * records and one plain record after each aggregate, keys interleaved, into a one-shard stream
     * with one PutRecords call (payload {@code key-k:n}).
     */
    private Written write() {
        String name = engines.uniqueName("lambda-parallel");
        String arn = engines.createStream(name, 1);
        Map<String, List<String>> perKey = new LinkedHashMap<>();
        List<List<String>> aggregates = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        int[] next = new int[KEYS];
        for (int round = 0; round < AGGREGATES_PER_KEY; round++) {
            for (int k = 0; k < KEYS; k++) {
                String key = "key-" + k;
                RecordAggregator aggregator = new RecordAggregator();
                List<String> inside = new ArrayList<>();
                for (int i = 0; i < PER_AGGREGATE; i++) {
                    String payload = key + ":" + next[k]++;
                    assertThat(aggregator.tryAdd(key, null, payload.getBytes(StandardCharsets.UTF_8))).isTrue();
                    inside.add(payload);
                }
                KinesisRecord aggregate = aggregator.emit();
                assertThat(aggregate.aggregated()).isTrue();
                entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                        .data(SdkBytes.fromByteArray(aggregate.data())).build());
                aggregates.add(inside);
                perKey.computeIfAbsent(key, x -> new ArrayList<>()).addAll(inside);
                String plain = key + ":" + next[k]++;
                entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                        .data(SdkBytes.fromString(plain, StandardCharsets.UTF_8)).build());
                perKey.get(key).add(plain);
            }
        }
        assertThat(engines.kinesisClient().putRecords(b -> b.streamName(name).records(entries)).failedRecordCount())
                .isZero();
        return new Written(arn, perKey, aggregates);
    }

    @Test
    void withParallelizationFactor4TheProgressStoreLosesNothingAndRunsEachUserRecordOnce() throws Exception {
        Written stream = write();
        // A sub-record in the middle of one aggregate of each of four keys fails twice.
        Map<String, Integer> failures = new HashMap<>();
        for (int k = 0; k < 4; k++) {
            failures.put(stream.aggregates().get(k * 2 + 1).get(2), FAILURES);
        }
        String table = engines.uniqueName("lambda-parallel-progress");
        DynamoDbProgressStore.createTable(engines.dynamoDbClient(), table);
        ScriptedHandler function = new ScriptedHandler(failures, r -> true);
        List<LocalEventSourceMapping.Invocation> invocations = new CopyOnWriteArrayList<>();

        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(engines.kinesisClient(),
                        stream.streamArn(), KinesisBatchHandler.forEachRecord(function, KinesisBatchProcessor.builder()
                                .progressStore(DynamoDbProgressStore.of(engines.dynamoDbClient(), table)).build()))
                .batchSize(3).parallelizationFactor(4).reportBatchItemFailures(true)
                .invocationListener(invocations::add).start()) {
            mapping.awaitIdle(IDLE);
            assertThat(mapping.discardedBatches()).isEmpty();
        }

        assertThat(function.successCounts()).hasSize(stream.userRecords())
                .allSatisfy((payload, runs) -> assertThat(runs).as(payload).isOne());
        assertThat(function.successOrderPerKey()).isEqualTo(stream.perKey());
        failures.keySet().forEach(target -> assertThat(function.attemptsOf(target)).isEqualTo(FAILURES + 1));
        for (List<String> aggregate : stream.aggregates()) {
            if (failures.containsKey(aggregate.get(2))) {
                assertThat(function.attemptsOf(aggregate.get(0))).as("finished before the failure").isOne();
                assertThat(function.attemptsOf(aggregate.get(1))).as("finished before the failure").isOne();
            }
        }
        assertThat(invocations.stream().filter(i -> !i.reportedFailures().isEmpty()).count())
                .isEqualTo(failures.size() * FAILURES);
    }

    /** Counts user records per key into the window's state and remembers every window's final state. */
    private static final class CountPerKey extends KinesisWindowHandler {
        final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();
        final List<Map<String, String>> ended = new CopyOnWriteArrayList<>();
        final List<String> attempts = new CopyOnWriteArrayList<>();

        CountPerKey(Map<String, Integer> failures) {
            failuresLeft.putAll(failures);
        }

        @Override
        protected Map<String, String> aggregate(Map<String, String> state, KinesisUserRecord record, Context context) {
            attempts.add(record.text());
            if (failuresLeft.getOrDefault(record.text(), 0) > 0) {
                failuresLeft.merge(record.text(), -1, Integer::sum);
                throw new IllegalStateException("chosen failure of " + record.text());
            }
            state.merge(record.partitionKey(), "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
            return state;
        }

        @Override
        protected void windowEnded(Map<String, String> state, KinesisTimeWindowEvent event, Context context) {
            ended.add(Map.copyOf(state));
        }
    }

    @Test
    void aKinesisWindowHandlerCountsEveryUserRecordOnceAcrossWindowsAndReplays() throws Exception {
        Written stream = write();
        String target = stream.aggregates().get(5).get(2);
        CountPerKey function = new CountPerKey(Map.of(target, FAILURES));

        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builderWithTumblingWindow(engines.kinesisClient(),
                        stream.streamArn(), Duration.ofSeconds(2), function)
                .batchSize(5).reportBatchItemFailures(true).start()) {
            mapping.awaitIdle(IDLE);
        }

        Map<String, Integer> counted = new HashMap<>();
        function.ended.forEach(state -> state.forEach((key, count) -> counted.merge(key, Integer.parseInt(count),
                Integer::sum)));
        Map<String, Integer> expected = new HashMap<>();
        stream.perKey().forEach((key, payloads) -> expected.put(key, payloads.size()));
        assertThat(function.ended).isNotEmpty();
        assertThat(counted).isEqualTo(expected);
        assertThat(function.attempts.stream().filter(target::equals).count()).isEqualTo(FAILURES + 1);
        // The failed aggregate is replayed whole: its first sub-records run again but count once.
        assertThat(function.attempts.stream().filter(stream.aggregates().get(5).get(0)::equals).count())
                .isEqualTo(FAILURES + 1);
    }
}
