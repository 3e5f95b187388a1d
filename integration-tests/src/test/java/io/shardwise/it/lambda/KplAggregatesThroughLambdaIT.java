package io.shardwise.it.lambda;

import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.lambda.LocalEventSourceMapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import io.shardwise.lambda.DynamoDbProgressStore;
import io.shardwise.lambda.FailureMode;
import io.shardwise.lambda.KinesisBatchHandler;
import io.shardwise.lambda.KinesisBatchProcessor;
import io.shardwise.lambda.KinesisUserRecord;
import io.shardwise.lambda.UserRecordHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The real KPL writes aggregates into the local Kinesis engine; the local event source mapping
 * runs a Shardwise handler over them, as Lambda would, with a chosen sub-record in the middle of
 * an aggregate failing a few times. One stream serves every scenario (each mapping reads it from
 * the trim horizon).
 */
class KplAggregatesThroughLambdaIT {

    private static final Duration IDLE = Duration.ofSeconds(90);
    private static final int FAILURES = 3;

    private static LocalEngines engines;
    private static KplStreamFixture stream;

    @BeforeAll
    static void writeWithTheKpl() throws Exception {
        engines = LocalEngines.shared();
        stream = KplStreamFixture.write(engines, 2, 8, 15);
        LoggerFactory.getLogger(KplAggregatesThroughLambdaIT.class).info(
                "the KPL wrote {} user records as {} Kinesis records ({} aggregates)", stream.payloads().size(),
                stream.stored.size(), stream.stored.stream().filter(KplStreamFixture.StoredRecord::aggregated).count());
        assertThat(stream.payloads()).hasSize(8 * 15).doesNotHaveDuplicates();
        assertThat(stream.aggregates(3)).as("aggregates the KPL wrote (with at least 3 user records)").isNotEmpty();
        assertThat(stream.stored.size()).as("Kinesis records for 120 user records").isLessThan(60);
    }

    private static List<LocalEventSourceMapping.Invocation> run(ScriptedHandler function, KinesisBatchProcessor processor)
            throws Exception {
        List<LocalEventSourceMapping.Invocation> invocations = new CopyOnWriteArrayList<>();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(engines.kinesisClient(), stream.streamArn,
                        KinesisBatchHandler.forEachRecord(function, processor))
                .batchSize(4).reportBatchItemFailures(true).invocationListener(invocations::add).start()) {
            mapping.awaitIdle(IDLE);
        }
        return invocations;
    }

    @Test
    void withTheProgressStoreEveryUserRecordSucceedsExactlyOnceInOrderPerKey() throws Exception {
        KplStreamFixture.StoredRecord aggregate = stream.aggregates(3).get(0);
        String target = aggregate.payloads().get(2);
        String table = engines.uniqueName("lambda-progress");
        DynamoDbProgressStore.createTable(engines.dynamoDbClient(), table);
        ScriptedHandler function = new ScriptedHandler(Map.of(target, FAILURES),
                KplAggregatesThroughLambdaIT::isUserRecord);

        run(function, KinesisBatchProcessor.builder().progressStore(
                DynamoDbProgressStore.of(engines.dynamoDbClient(), table)).build());

        assertThat(function.successCounts()).hasSize(120).allSatisfy((payload, runs) -> assertThat(runs).isOne());
        assertThat(function.attemptsOf(target)).isEqualTo(FAILURES + 1);
        assertThat(function.attemptsOf(aggregate.payloads().get(0))).isOne();
        assertThat(function.attemptsOf(aggregate.payloads().get(1))).isOne();
        assertThat(function.firstSuccessOrderPerKey()).isEqualTo(stream.orderPerKey());
        assertThat(function.successes).filteredOn(r -> r.text().equals(target)).singleElement()
                .satisfies(r -> {
                    assertThat(r.aggregated()).isTrue();
                    assertThat(r.subSequenceNumber()).isEqualTo(2);
                    assertThat(r.sequenceNumber()).isEqualTo(aggregate.sequenceNumber());
                    assertThat(r.shardId()).isEqualTo(aggregate.shardId());
                });
    }

    @Test
    void withoutTheStoreTheWholeAggregateIsReplayedAsDocumented() throws Exception {
        KplStreamFixture.StoredRecord aggregate = stream.aggregates(3).get(0);
        String target = aggregate.payloads().get(2);
        ScriptedHandler function = new ScriptedHandler(Map.of(target, FAILURES),
                KplAggregatesThroughLambdaIT::isUserRecord);

        run(function, KinesisBatchProcessor.builder().build());

        Map<String, Long> counts = function.successCounts();
        assertThat(counts).hasSize(120);
        assertThat(counts.get(aggregate.payloads().get(0))).isEqualTo(FAILURES + 1);
        assertThat(counts.get(aggregate.payloads().get(1))).isEqualTo(FAILURES + 1);
        assertThat(counts.get(target)).isOne();
        counts.forEach((payload, runs) -> {
            if (!aggregate.payloads().contains(payload)) {
                assertThat(runs).as(payload).isOne();
            }
        });
        assertThat(function.firstSuccessOrderPerKey()).isEqualTo(stream.orderPerKey());
    }

    @Test
    void continueModeReportsEveryFailingParentOnce() throws Exception {
        List<KplStreamFixture.StoredRecord> sameShard = stream.aggregates(3).stream()
                .filter(a -> a.shardId().equals(stream.aggregates(3).get(0).shardId())).limit(2).toList();
        assertThat(sameShard).as("two aggregates on one shard").hasSize(2);
        KplStreamFixture.StoredRecord first = sameShard.get(0);
        KplStreamFixture.StoredRecord second = sameShard.get(1);
        // Two failing sub-records in the first aggregate, one in the second, each failing once.
        ScriptedHandler function = new ScriptedHandler(Map.of(first.payloads().get(0), 1, first.payloads().get(2), 1,
                second.payloads().get(1), 1), KplAggregatesThroughLambdaIT::isUserRecord);

        List<LocalEventSourceMapping.Invocation> invocations = new CopyOnWriteArrayList<>();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(engines.kinesisClient(), stream.streamArn,
                        KinesisBatchHandler.forEachRecord(function,
                                KinesisBatchProcessor.builder().failureMode(FailureMode.CONTINUE).build()))
                .batchSize(100).reportBatchItemFailures(true).invocationListener(invocations::add).start()) {
            mapping.awaitIdle(IDLE);
        }

        LocalEventSourceMapping.Invocation failing = invocations.stream()
                .filter(i -> !i.reportedFailures().isEmpty()).findFirst().orElseThrow();
        assertThat(failing.sequenceNumbers()).contains(first.sequenceNumber(), second.sequenceNumber());
        assertThat(failing.reportedFailures()).containsExactly(first.sequenceNumber(), second.sequenceNumber());
        assertThat(function.successCounts()).hasSize(120);
        assertThat(invocations.get(invocations.size() - 1).reportedFailures()).isEmpty();
    }

    /** The test's own records ("key:n"), not the KPL's warm-up. */
    private static boolean isUserRecord(KinesisUserRecord record) {
        return record.text().contains(":") && !record.partitionKey().equals(KplStreamFixture.WARM_UP_KEY);
    }
}
