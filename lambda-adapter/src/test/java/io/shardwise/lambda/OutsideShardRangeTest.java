package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.testkit.lambda.LocalLambdaContext;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Sub-records of an aggregate outside the hash key range of the shard it was read from. */
class OutsideShardRangeTest {

    /** The lower half of the hash key space: the shard the events come from. */
    private static final HashKeyRange LOWER_HALF = new HashKeyRange(BigInteger.ZERO,
            BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE));
    private static final String UPPER = BigInteger.ONE.shiftLeft(127).add(BigInteger.valueOf(5)).toString();
    private static final String SEQ_AGGREGATE = "49590338271490256608559692538361571095921575989136590001";
    private static final String SEQ_PLAIN = "49590338271490256608559692538361571095921575989136590002";

    /** An aggregate of four: inside, outside (explicit hash key in the upper half), inside, outside. */
    private static KplEventFixtures.Entry straddlingAggregate() {
        RecordAggregator aggregator = new RecordAggregator();
        aggregator.tryAdd("in-0", "1", KplEventFixtures.utf8("in-0"));
        aggregator.tryAdd("out-1", UPPER, KplEventFixtures.utf8("out-1"));
        aggregator.tryAdd("in-2", "100", KplEventFixtures.utf8("in-2"));
        aggregator.tryAdd("out-3", UPPER, KplEventFixtures.utf8("out-3"));
        KinesisRecord aggregate = aggregator.emit();
        return new KplEventFixtures.Entry(aggregate.partitionKey(), SEQ_AGGREGATE, aggregate.data());
    }

    private static KinesisEvent event() {
        return LambdaEventSerializers.serializerFor(KinesisEvent.class, KinesisEvent.class.getClassLoader())
                .fromJson(KplEventFixtures.eventJson(List.of(straddlingAggregate(),
                        new KplEventFixtures.Entry("plain", SEQ_PLAIN, KplEventFixtures.utf8("plain")))));
    }

    private static List<String> run(KinesisBatchProcessor processor, Context context) {
        List<String> seen = new ArrayList<>();
        StreamsEventResponse response = KinesisBatchHandler.forEachRecord(
                (record, c) -> seen.add(record.text() + "@" + record.subSequenceNumber()), processor)
                .handleRequest(event(), context);
        assertThat(response.getBatchItemFailures()).isEmpty();
        return seen;
    }

    @Test
    void byDefaultSubRecordsOutsideTheShardsRangeAreDroppedWithAMetricLine() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        LocalLambdaContext context = KplEventFixtures.context(60_000);
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().shardHashRanges((arn, shardId) -> {
            lookups.incrementAndGet();
            assertThat(arn).isEqualTo(KplEventFixtures.ARN);
            assertThat(shardId).isEqualTo(KplEventFixtures.SHARD);
            return LOWER_HALF;
        }).build();

        assertThat(run(processor, context)).containsExactly("in-0@0", "in-2@2", "plain@0");
        assertThat(lookups).as("only the aggregate needs the range").hasValue(1);

        assertThat(context.logLines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(context.logLines().get(0));
        assertThat(line.get("OutsideShardRangeDropped").asInt()).isEqualTo(2);
        assertThat(line.get("shardId").asText()).isEqualTo(KplEventFixtures.SHARD);
        assertThat(line.get("eventSourceArn").asText()).isEqualTo(KplEventFixtures.ARN);
        assertThat(line.get("FunctionName").asText()).isEqualTo("orders");
        JsonNode metrics = line.get("_aws").get("CloudWatchMetrics").get(0);
        assertThat(metrics.get("Namespace").asText()).isEqualTo("Shardwise");
        assertThat(metrics.get("Metrics").get(0).get("Name").asText()).isEqualTo("OutsideShardRangeDropped");
        assertThat(line.get("message").asText()).contains("dropped 2 sub-records of 1 aggregates")
                .doesNotContain("out-1", "in-0");
    }

    @Test
    void deliverKeepsThemAndNeverLooksUpARange() {
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().outsideShardRange(OutsideShardRange.DELIVER)
                .shardHashRanges((arn, shardId) -> {
                    throw new AssertionError("no lookup expected");
                }).build();
        assertThat(run(processor, KplEventFixtures.context(60_000)))
                .containsExactly("in-0@0", "out-1@1", "in-2@2", "out-3@3", "plain@0");
    }

    @Test
    void aFailedLookupDeliversUncheckedAndWarnsOncePerShard() {
        LocalLambdaContext context = KplEventFixtures.context(60_000);
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().shardHashRanges((arn, shardId) -> {
            throw new IllegalStateException("AccessDeniedException: kinesis:ListShards");
        }).build();
        assertThat(run(processor, context)).hasSize(5);
        assertThat(run(processor, context)).hasSize(5);
        assertThat(context.logLines()).singleElement().asString().contains("kinesis:ListShards", KplEventFixtures.SHARD,
                "delivered unchecked");
    }

    @Test
    void anUnknownShardDeliversUnchecked() {
        LocalLambdaContext context = KplEventFixtures.context(60_000);
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().shardHashRanges((arn, shardId) -> null).build();
        assertThat(run(processor, context)).hasSize(5);
        assertThat(context.logLines()).singleElement().asString().contains("unknown");
    }

    @Test
    void outsideLambdaWithoutALookupTheyAreDeliveredAndTheLogSaysHowToDropThem() {
        LocalLambdaContext context = KplEventFixtures.context(60_000);
        assertThat(System.getenv("AWS_LAMBDA_FUNCTION_NAME")).as("the tests run outside Lambda").isNull();
        KinesisBatchProcessor processor = KinesisBatchProcessor.builder().build();
        assertThat(run(processor, context)).hasSize(5);
        assertThat(run(processor, context)).hasSize(5);
        assertThat(context.logLines()).singleElement().asString().contains("shardHashRanges", "outsideShardRange(DELIVER)");
    }

    @Test
    void theWindowHandlerDropsThemToo() {
        List<String> seen = new ArrayList<>();
        KinesisWindowHandler handler = new KinesisWindowHandler(OutsideShardRange.DROP, (arn, shardId) -> LOWER_HALF) {
            @Override
            protected Map<String, String> aggregate(Map<String, String> state, KinesisUserRecord record, Context c) {
                seen.add(record.text());
                return state;
            }
        };
        KinesisTimeWindowEvent event = LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class,
                KinesisTimeWindowEvent.class.getClassLoader()).fromJson(KplEventFixtures.windowEventJson(
                        List.of(straddlingAggregate()), "{}", false));
        TimeWindowEventResponse response = handler.handleRequest(event, KplEventFixtures.context(60_000));
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(seen).containsExactly("in-0", "in-2");
    }

    @Test
    void theFixtureReallyStraddlesTheRange() {
        assertThat(LOWER_HALF.contains(HashKeys.parseExplicit(UPPER))).isFalse();
        assertThat(LOWER_HALF.contains(BigInteger.ONE)).isTrue();
    }
}
