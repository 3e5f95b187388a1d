package io.shardwise.testkit.lambda;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.TestStream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
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

    /** Puts {@code perKey} records for each key in one PutRecords call, rounds interleaved: payload {@code key:n}. */
    private static List<String> putKeys(KinesisClient kinesis, TestStream stream, int keys, int perKey) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int n = 0; n < perKey; n++) {
            for (int k = 0; k < keys; k++) {
                String payload = "key-" + k + ":" + n;
                payloads.add(payload);
                entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + k)
                        .data(SdkBytes.fromString(payload, StandardCharsets.UTF_8)).build());
            }
        }
        assertThat(kinesis.putRecords(b -> b.streamName(stream.name()).records(entries)).failedRecordCount()).isZero();
        return payloads;
    }

    /**
     * Records batches, the keys in flight and how many invocations overlap. The first invocation
     * waits (up to a minute) for a second one to start, so the test sees concurrency whenever the
     * mapping allows it.
     */
    private static final class ConcurrencyProbe implements RequestHandler<KinesisEvent, StreamsEventResponse> {
        final java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(2);
        final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
        final Set<String> keysInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<String> keyOverlaps = new CopyOnWriteArrayList<>();
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<List<BigInteger>> batches = new CopyOnWriteArrayList<>();
        final boolean waitForSecond;

        ConcurrencyProbe(boolean waitForSecond) {
            this.waitForSecond = waitForSecond;
        }

        @Override
        public StreamsEventResponse handleRequest(KinesisEvent event, com.amazonaws.services.lambda.runtime.Context c) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Set<String> keys = new HashSet<>();
            event.getRecords().forEach(r -> keys.add(r.getKinesis().getPartitionKey()));
            for (String key : keys) {
                if (!keysInFlight.add(key)) {
                    keyOverlaps.add(key);
                }
            }
            try {
                second.countDown();
                if (waitForSecond) {
                    second.await(60, java.util.concurrent.TimeUnit.SECONDS);
                }
                batches.add(event.getRecords().stream().map(r -> new BigInteger(r.getKinesis().getSequenceNumber())).toList());
                event.getRecords().forEach(r -> delivered.add(text(r)));
                return new StreamsEventResponse(List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                keysInFlight.removeAll(keys);
                inFlight.decrementAndGet();
            }
        }

        /** Per key, the payloads in delivery order. */
        java.util.Map<String, List<String>> perKey() {
            java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
            for (String p : delivered) {
                out.computeIfAbsent(p.substring(0, p.indexOf(':')), k -> new ArrayList<>()).add(p);
            }
            return out;
        }
    }

    private static java.util.Map<String, List<String>> perKey(List<String> payloads) {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        for (String p : payloads) {
            out.computeIfAbsent(p.substring(0, p.indexOf(':')), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    @Test
    void parallelizationFactorRunsBatchesOfOneShardAtTheSameTimeKeepingEachKeyInOrder(KinesisClient kinesis,
                                                                                     TestStream stream) throws Exception {
        List<String> payloads = putKeys(kinesis, stream, 8, 6);
        ConcurrencyProbe handler = new ConcurrencyProbe(true);
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(3).parallelizationFactor(4).start()) {
            mapping.awaitIdle(IDLE);
        }
        assertThat(handler.delivered).hasSize(payloads.size()).doesNotHaveDuplicates();
        assertThat(handler.perKey()).isEqualTo(perKey(payloads));
        assertThat(handler.keyOverlaps).as("a key in two batches at once").isEmpty();
        assertThat(handler.maxInFlight).as("batches of the shard in flight at once").hasValueBetween(2, 4);
        // Concurrent batches interleave: some batch starts below the end of one delivered before it.
        boolean interleaved = false;
        for (int i = 1; i < handler.batches.size() && !interleaved; i++) {
            for (int j = 0; j < i && !interleaved; j++) {
                List<BigInteger> earlier = handler.batches.get(j);
                interleaved = handler.batches.get(i).get(0).compareTo(earlier.get(earlier.size() - 1)) < 0;
            }
        }
        assertThat(interleaved).as("sequence numbers of concurrent batches interleave").isTrue();
    }

    @Test
    void parallelizationFactorOneInvokesOneBatchAtATime(KinesisClient kinesis, TestStream stream) throws Exception {
        List<String> payloads = putKeys(kinesis, stream, 4, 3);
        ConcurrencyProbe handler = new ConcurrencyProbe(false);
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(2).start()) {
            mapping.awaitIdle(IDLE);
        }
        assertThat(handler.delivered).containsExactlyElementsOf(payloads);
        assertThat(handler.maxInFlight).hasValue(1);
    }

    @Test
    void aPoisonRecordIsRetriedAndDiscardedInItsLaneWhileOtherKeysFlow(KinesisClient kinesis, TestStream stream)
            throws Exception {
        List<String> payloads = putKeys(kinesis, stream, 6, 3);
        List<String> succeeded = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler = (event, context) -> {
            List<String> texts = event.getRecords().stream().map(LocalEventSourceMappingIT::text).toList();
            if (texts.contains("key-2:1")) {
                throw new IllegalStateException("cannot handle key-2:1");
            }
            succeeded.addAll(texts);
            return null;
        };
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builder(kinesis, stream.arn(), handler)
                .batchSize(4).parallelizationFactor(3).bisectBatchOnFunctionError(true).maximumRetryAttempts(2)
                .start()) {
            mapping.awaitIdle(IDLE);
            assertThat(mapping.discardedBatches()).singleElement().satisfies(d -> {
                assertThat(d.batchSize()).isEqualTo(1);
                assertThat(d.retryAttempts()).isEqualTo(3);
                assertThat(d.reason()).isEqualTo(LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED);
            });
        }
        List<String> expected = new ArrayList<>(payloads);
        expected.remove("key-2:1");
        assertThat(succeeded).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(perKey(succeeded)).isEqualTo(perKey(expected));
    }

    /** Counts records into the window's state; remembers every event it got and the windows it ended. */
    private static final class CountingWindow
            implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {
        final List<KinesisTimeWindowEvent> events = new CopyOnWriteArrayList<>();
        final List<TimeWindowEventResponse> responses = new CopyOnWriteArrayList<>();

        @Override
        public TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event,
                                                     com.amazonaws.services.lambda.runtime.Context context) {
            events.add(event);
            java.util.Map<String, String> state = new java.util.HashMap<>(
                    event.getState() == null ? java.util.Map.of() : event.getState());
            for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
                state.merge("count", "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
                state.merge("texts", text(r), (a, b) -> a + "," + b);
            }
            TimeWindowEventResponse response = new TimeWindowEventResponse(state, List.of());
            responses.add(response);
            return response;
        }
    }

    @Test
    void tumblingWindowsCarryTheStateAndEndWithAFinalInvocation(KinesisClient kinesis, TestStream stream)
            throws Exception {
        CountingWindow handler = new CountingWindow();
        try (LocalEventSourceMapping mapping = LocalEventSourceMapping.builderWithTumblingWindow(kinesis, stream.arn(),
                Duration.ofSeconds(2), handler).batchSize(2).start()) {
            put(kinesis, stream, "k", payloads("r", 5));
            mapping.awaitIdle(IDLE);
        }
        List<KinesisTimeWindowEvent> finals = handler.events.stream()
                .filter(e -> Boolean.TRUE.equals(e.getIsFinalInvokeForWindow())).toList();
        assertThat(finals).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getRecords()).isEmpty();
            assertThat(e.getShardId()).startsWith("shardId-");
            assertThat(e.getEventSourceArn()).isEqualTo(stream.arn());
            assertThat(java.time.Duration.between(java.time.Instant.parse(e.getWindow().getStart()),
                    java.time.Instant.parse(e.getWindow().getEnd()))).isEqualTo(Duration.ofSeconds(2));
        });
        // Every window ends exactly once, and the final states hold every record once, in order.
        assertThat(finals.stream().map(e -> e.getWindow().getStart())).doesNotHaveDuplicates();
        int total = finals.stream().mapToInt(e -> Integer.parseInt(e.getState().getOrDefault("count", "0"))).sum();
        assertThat(total).isEqualTo(5);
        assertThat(String.join(",", finals.stream().map(e -> e.getState().get("texts")).toList()))
                .isEqualTo(String.join(",", payloads("r", 5)));
        // Each invocation of a window starts from the state the previous one returned.
        for (int i = 1; i < handler.events.size(); i++) {
            KinesisTimeWindowEvent event = handler.events.get(i);
            KinesisTimeWindowEvent previous = handler.events.get(i - 1);
            if (event.getWindow().getStart().equals(previous.getWindow().getStart())) {
                assertThat(event.getState()).isEqualTo(handler.responses.get(i - 1).getState());
            } else {
                assertThat(event.getState()).isEmpty();
            }
        }
        // Every record's window contains its arrival time.
        assertThat(handler.events).allSatisfy(e -> assertThat(e.getRecords()).allSatisfy(r -> {
            java.time.Instant arrival = r.getKinesis().getApproximateArrivalTimestamp().toInstant();
            assertThat(arrival).isBetween(java.time.Instant.parse(e.getWindow().getStart()),
                    java.time.Instant.parse(e.getWindow().getEnd()).minusMillis(1));
        }));
    }

    @Test
    void optionsAreChecked(KinesisClient kinesis, TestStream stream) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalEventSourceMapping
                .builder(kinesis, stream.arn(), new Recorder()).parallelizationFactor(11))
                .hasMessageContaining("1 to 10").hasMessageContaining("11");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalEventSourceMapping
                .builderWithTumblingWindow(kinesis, stream.arn(), Duration.ofSeconds(901), new CountingWindow()))
                .hasMessageContaining("900 s");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalEventSourceMapping
                .builderWithTumblingWindow(kinesis, stream.arn(), Duration.ofSeconds(5), new CountingWindow())
                .parallelizationFactor(2).start())
                .hasMessageContaining("parallelizationFactor 1");
    }
}
