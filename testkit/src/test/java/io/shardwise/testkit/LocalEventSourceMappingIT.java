package io.shardwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

@ShardwiseTest
class LocalEventSourceMappingIT {

    private static final Duration IDLE = Duration.ofSeconds(60);

    /** Puts the payloads in one PutRecords call, in order, with one key: they land in order on one shard. */
    private static void put(KinesisClient kinesis, TestStream stream, String key, List<String> payloads) {
        List<PutRecordsRequestEntry> entries = payloads.stream().map(p -> PutRecordsRequestEntry.builder()
                .partitionKey(key).data(SdkBytes.fromString(p, StandardCharsets.UTF_8)).build()).toList();
        var response = kinesis.putRecords(b -> b.streamName(stream.name()).records(entries));
        assertThat(response.failedRecordCount()).isZero();
    }

    private static List<String> payloads(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static String text(KinesisEvent.KinesisEventRecord r) {
        return StandardCharsets.UTF_8.decode(r.getKinesis().getData().duplicate()).toString();
    }

    /** A handler that remembers every event and answers with nothing (success without partial response). */
    private static final class Recorder implements RequestHandler<KinesisEvent, StreamsEventResponse> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final List<KinesisEvent.KinesisEventRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public StreamsEventResponse handleRequest(KinesisEvent event, com.amazonaws.services.lambda.runtime.Context c) {
            batches.add(event.getRecords().stream().map(LocalEventSourceMappingIT::text).toList());
            records.addAll(event.getRecords());
            return new StreamsEventResponse(List.of());
        }

        List<String> texts() {
            return records.stream().map(LocalEventSourceMappingIT::text).toList();
        }
    }

    @Test
    void deliversEveryRecordInOrderInBatchesShapedAsLambdaShapesThem(KinesisClient kinesis, TestStream stream)
            throws Exception {
        put(kinesis, stream, "k", payloads("r", 7));
        Recorder handler = new Recorder();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(3).start()) {
            mapping.awaitIdle(IDLE);
        }
        assertThat(handler.texts()).containsExactlyElementsOf(payloads("r", 7));
        assertThat(handler.batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 3));
        String shardId = kinesis.listShards(b -> b.streamName(stream.name())).shards().get(0).shardId();
        assertThat(handler.records).allSatisfy(r -> {
            assertThat(r.getEventID()).isEqualTo(shardId + ":" + r.getKinesis().getSequenceNumber());
            assertThat(r.getEventSourceARN()).isEqualTo(stream.arn());
            assertThat(r.getEventSource()).isEqualTo("aws:kinesis");
            assertThat(r.getEventName()).isEqualTo("aws:kinesis:record");
            assertThat(r.getAwsRegion()).isEqualTo("us-east-1");
            assertThat(r.getKinesis().getPartitionKey()).isEqualTo("k");
            assertThat(r.getKinesis().getApproximateArrivalTimestamp()).isNotNull();
        });
    }

    @Test
    void resumesFromTheLowestReportedFailure(KinesisClient kinesis, TestStream stream) throws Exception {
        put(kinesis, stream, "k", payloads("r", 6));
        Set<String> failedOnce = new HashSet<>();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = (event, context) -> {
            batches.add(event.getRecords().stream().map(LocalEventSourceMappingIT::text).toList());
            List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
            for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
                if ((text(r).equals("r2") || text(r).equals("r4")) && failedOnce.add(text(r))) {
                    failures.add(new StreamsEventResponse.BatchItemFailure(r.getKinesis().getSequenceNumber()));
                }
            }
            return new StreamsEventResponse(failures);
        };
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(6).reportBatchItemFailures(true).start()) {
            mapping.awaitIdle(IDLE);
        }
        // The first batch reports r2 and r4: the next starts at r2 (the lowest), r4 is retried with it.
        assertThat(batches.get(0)).first().isEqualTo("r0");
        assertThat(batches.get(0)).contains("r2", "r4");
        int firstFailing = batches.get(0).indexOf("r2");
        assertThat(batches.get(1)).first().isEqualTo("r2");
        assertThat(batches.stream().flatMap(List::stream).filter("r0"::equals)).hasSize(1);
        assertThat(batches.get(batches.size() - 1)).last().isEqualTo("r5");
        assertThat(firstFailing).isEqualTo(2);
    }

    @Test
    void bisectsAFailingBatchAndDiscardsOnlyThePoisonRecordAfterItsRetries(KinesisClient kinesis, TestStream stream)
            throws Exception {
        put(kinesis, stream, "k", List.of("r0", "r1", "poison", "r3", "r4"));
        List<String> succeeded = new CopyOnWriteArrayList<>();
        List<LocalEventSourceMapping.DiscardedBatch> discarded = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = (event, context) -> {
            List<String> texts = event.getRecords().stream().map(LocalEventSourceMappingIT::text).toList();
            if (texts.contains("poison")) {
                throw new IllegalStateException("cannot handle poison");
            }
            succeeded.addAll(texts);
            return null;
        };
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(4).bisectBatchOnFunctionError(true).maximumRetryAttempts(1)
                .onFailure(discarded::add).start()) {
            mapping.awaitIdle(IDLE);
        }
        assertThat(succeeded).containsExactly("r0", "r1", "r3", "r4");
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.batchSize()).isEqualTo(1);
            assertThat(d.startSequenceNumber()).isEqualTo(d.endSequenceNumber());
            assertThat(d.reason()).isEqualTo(LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED);
            assertThat(d.retryAttempts()).isEqualTo(2);
            assertThat(d.lastError()).contains("cannot handle poison");
            assertThat(d.streamArn()).isEqualTo(stream.arn());
        });
    }

    @Test
    void anEmptyItemIdentifierFailsTheWholeBatch(KinesisClient kinesis, TestStream stream) throws Exception {
        put(kinesis, stream, "k", payloads("r", 3));
        List<LocalEventSourceMapping.DiscardedBatch> discarded = new CopyOnWriteArrayList<>();
        List<LocalEventSourceMapping.Invocation> invocations = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = (event, context) ->
                new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("")));
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(10).reportBatchItemFailures(true).maximumRetryAttempts(0)
                .invocationListener(invocations::add).onFailure(discarded::add).start()) {
            mapping.awaitIdle(IDLE);
        }
        assertThat(invocations).singleElement().satisfies(i ->
                assertThat(i.responseJson()).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"));
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.batchSize()).isEqualTo(3);
            assertThat(d.lastError()).contains("empty or missing itemIdentifier");
        });
    }

    @Test
    void recordsOlderThanTheMaximumAgeAreDiscardedUnseen(KinesisClient kinesis, TestStream stream) throws Exception {
        put(kinesis, stream, "k", payloads("old", 2));
        Thread.sleep(1_500);
        Recorder handler = new Recorder();
        List<LocalEventSourceMapping.DiscardedBatch> discarded = new CopyOnWriteArrayList<>();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .maximumRecordAge(Duration.ofSeconds(1)).onFailure(discarded::add).start()) {
            mapping.awaitIdle(IDLE);
            put(kinesis, stream, "k", List.of("fresh"));
            mapping.awaitIdle(IDLE);
        }
        assertThat(handler.texts()).containsExactly("fresh");
        assertThat(discarded).singleElement().satisfies(d -> {
            assertThat(d.batchSize()).isEqualTo(2);
            assertThat(d.reason()).isEqualTo(LocalEventSourceMapping.DiscardReason.RECORD_AGE_EXCEEDED);
        });
    }

    @Test
    void latestSkipsOldRecordsAndTheBatchingWindowGathersNewOnes(KinesisClient kinesis, TestStream stream)
            throws Exception {
        put(kinesis, stream, "k", payloads("before", 2));
        Recorder handler = new Recorder();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .startingPosition(LocalEventSourceMapping.StartingPosition.LATEST)
                .batchingWindow(Duration.ofSeconds(3)).start()) {
            mapping.awaitIdle(IDLE);
            for (String payload : payloads("after", 3)) {
                put(kinesis, stream, "k", List.of(payload));
            }
            mapping.awaitIdle(IDLE);
        }
        assertThat(handler.batches).containsExactly(payloads("after", 3));
    }

    @Test
    void atTimestampStartsAtTheFirstRecordAtOrAfterIt(KinesisClient kinesis, TestStream stream) throws Exception {
        put(kinesis, stream, "k", payloads("before", 2));
        Thread.sleep(300);
        java.time.Instant from = java.time.Instant.now();
        Thread.sleep(300);
        put(kinesis, stream, "k", payloads("after", 2));
        Recorder handler = new Recorder();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .startingPositionTimestamp(from).start()) {
            mapping.awaitIdle(IDLE);
        }
        assertThat(handler.texts()).containsExactlyElementsOf(payloads("after", 2));
    }

    @Test
    void finishesAParentBeforeItsChildrenAfterASplit(KinesisClient kinesis, TestStream stream) throws Exception {
        put(kinesis, stream, "k", payloads("parent", 4));
        Shard parent = kinesis.listShards(b -> b.streamName(stream.name())).shards().get(0);
        BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
        kinesis.splitShard(b -> b.streamName(stream.name()).shardToSplit(parent.shardId())
                .newStartingHashKey(start.add(end).shiftRight(1).toString()));
        while (kinesis.describeStreamSummary(b -> b.streamName(stream.name())).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE) {
            Thread.sleep(100);
        }
        for (int i = 0; i < 6; i++) {
            put(kinesis, stream, "child-key-" + i, List.of("child" + i));
        }

        Recorder handler = new Recorder();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .start()) {
            mapping.awaitIdle(IDLE);
        }
        List<String> texts = handler.texts();
        assertThat(texts).hasSize(10);
        assertThat(texts.subList(0, 4)).containsExactlyElementsOf(payloads("parent", 4));
        assertThat(texts.subList(4, 10)).containsExactlyInAnyOrderElementsOf(payloads("child", 6));
        assertThat(handler.records.subList(4, 10)).allSatisfy(r -> assertThat(r.getEventID()).doesNotStartWith(parent.shardId() + ":"));
    }
}
