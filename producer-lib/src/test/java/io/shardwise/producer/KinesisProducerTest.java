package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline's logic against an in-memory Kinesis: ordering, retries, TTL, memory bound, close. */
class KinesisProducerTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private FakeKinesis fake(int shards) {
        FakeKinesis fake = new FakeKinesis(shards);
        toClose.add(fake);
        return fake;
    }

    private KinesisProducer producer(KinesisProducer.Builder builder) {
        KinesisProducer producer = builder.build();
        toClose.add(0, producer);
        return producer;
    }

    private static byte[] payload(String key, int n) {
        return (key + ":" + n).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyRecordIsStoredOnceInPerKeyOrderDespiteThrottledEntries() throws Exception {
        FakeKinesis kinesis = fake(4);
        kinesis.throttleProbability = 0.3;
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).aggregationMaxBytes(1000)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20)).maxBufferedTime(Duration.ofMillis(5))
                .shardRateLimit(0));
        producer.ready().get(5, TimeUnit.SECONDS);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String key = "key-" + (i % 37);
            futures.add(producer.send(key, payload(key, i)));
        }
        producer.flush().get(30, TimeUnit.SECONDS);

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        List<FakeKinesis.Stored> stored = kinesis.all();
        assertThat(stored).hasSize(5_000);
        Map<String, Integer> lastSeen = new HashMap<>();
        for (String shard : kinesis.stored.keySet()) {
            for (FakeKinesis.Stored record : kinesis.stored.get(shard)) {
                if (record.outsideShardRange()) {
                    continue;
                }
                String text = new String(record.data(), StandardCharsets.UTF_8);
                int n = Integer.parseInt(text.substring(text.indexOf(':') + 1));
                Integer previous = lastSeen.put(record.partitionKey(), n);
                assertThat(previous == null || previous < n).as("order of %s: %s after %s", record.partitionKey(), n, previous).isTrue();
            }
        }
        assertThat(futures.stream().map(CompletableFuture::join).filter(r -> r.attempts().size() > 1)).isNotEmpty();
        SendResult any = futures.get(100).join();
        assertThat(kinesis.stored.get(any.shardId())).anyMatch(s -> s.sequenceNumber().equals(any.sequenceNumber())
                && s.subSequence() == any.subSequenceNumber()
                && new String(s.data(), StandardCharsets.UTF_8).equals("key-26:100"));
        assertThat(producer.outstandingRecords()).isZero();
        assertThat(producer.bufferedBytes()).isZero();
    }

    @Test
    void orderedModeSendsOneKinesisRecordPerShardPerRequest() throws Exception {
        FakeKinesis kinesis = fake(2);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).shardRateLimit(0));
        producer.ready().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 3_000; i++) {
            producer.send("k" + i, new byte[100]);
        }
        producer.flush().get(30, TimeUnit.SECONDS);
        assertThat(kinesis.requestSizes).allMatch(size -> size <= 2);
        assertThat(kinesis.all()).hasSize(3_000);
    }

    @Test
    void recordsSentBeforeTheShardMapLoadsGoPlainAndArrive() throws Exception {
        FakeKinesis kinesis = fake(3);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis));
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(producer.send("k" + (i % 5), payload("k", i)));
        }
        producer.flush().get(10, TimeUnit.SECONDS);
        assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
        assertThat(kinesis.all()).hasSize(50);
    }

    @Test
    void aRecordWhoseTtlRunsOutFailsWithEveryAttempt() throws Exception {
        FakeKinesis kinesis = fake(1);
        kinesis.throttleProbability = 1.0;
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis)
                .recordTtl(Duration.ofMillis(600)).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        producer.ready().get(5, TimeUnit.SECONDS);
        CompletableFuture<SendResult> future = producer.send("k", new byte[10]);
        Throwable error = catchFailure(future);
        assertThat(error).isInstanceOf(RecordExpiredException.class).hasMessageContaining("600 ms")
                .hasMessageContaining("ProvisionedThroughputExceededException");
        RecordExpiredException expired = (RecordExpiredException) error;
        assertThat(expired.attempts()).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(a -> "ProvisionedThroughputExceededException".equals(a.errorCode()));
        assertThat(producer.shardStates().get(0).throttles()).isGreaterThanOrEqualTo(2);
        assertThat(producer.bufferedBytes()).isZero();
    }

    @Test
    void aFinalErrorFailsTheRecordAtOnce() throws Exception {
        FakeKinesis kinesis = fake(1);
        kinesis.failEveryCallWith = "AccessDeniedException";
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis));
        Throwable error = catchFailure(producer.send("k", new byte[10]));
        assertThat(error).isExactlyInstanceOf(RecordFailedException.class).hasMessageContaining("AccessDeniedException");
        assertThat(((RecordFailedException) error).attempts()).hasSize(1);
    }

    @Test
    void anInvalidRecordFailsAloneAndNamesTheLimit() throws Exception {
        FakeKinesis kinesis = fake(1);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis));
        CompletableFuture<SendResult> bad = producer.send("k", new byte[1024 * 1024]);
        CompletableFuture<SendResult> good = producer.send("k", new byte[1]);
        assertThat(catchFailure(bad)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("1048577")
                .hasMessageContaining("1048576");
        assertThat(good.get(10, TimeUnit.SECONDS).shardId()).isEqualTo("shardId-000000000000");
    }

    @Test
    void aFullBufferFailsFastAndTheProducerRecoversWhenTheEndpointReturns() throws Exception {
        FakeKinesis kinesis = fake(2);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis)
                .maxBufferedBytes(1024 * 1024).whenFull(KinesisProducer.WhenFull.FAIL_FAST, Duration.ZERO)
                .shardRateLimit(0));
        producer.ready().get(5, TimeUnit.SECONDS);
        kinesis.stall();
        List<CompletableFuture<SendResult>> accepted = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            CompletableFuture<SendResult> f = producer.send("k" + i, new byte[1000]);
            if (f.isCompletedExceptionally()) {
                assertThat(catchFailure(f)).isInstanceOf(BufferFullException.class).hasMessageContaining("maxBufferedBytes=1048576");
                rejected++;
            } else {
                accepted.add(f);
            }
            assertThat(producer.bufferedBytes()).isLessThanOrEqualTo(1024 * 1024);
        }
        assertThat(rejected).isPositive();
        assertThat(accepted).isNotEmpty();
        kinesis.resume();
        producer.flush().get(30, TimeUnit.SECONDS);
        assertThat(accepted).allMatch(f -> !f.isCompletedExceptionally());
        assertThat(producer.send("after", new byte[1000]).get(10, TimeUnit.SECONDS).shardId()).isNotNull();
    }

    @Test
    void aBlockedSendWaitsForRoomThenProceeds() throws Exception {
        FakeKinesis kinesis = fake(1);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis)
                .maxBufferedBytes(1024 * 1024).whenFull(KinesisProducer.WhenFull.BLOCK, Duration.ofSeconds(20))
                .shardRateLimit(0));
        producer.ready().get(5, TimeUnit.SECONDS);
        kinesis.stall();
        while (producer.bufferedBytes() < 1024 * 1024 - 2_000) {
            producer.send("k", new byte[1000]);
        }
        CompletableFuture<CompletableFuture<SendResult>> blocked =
                CompletableFuture.supplyAsync(() -> producer.send("k", new byte[5000]));
        Thread.sleep(300);
        assertThat(blocked).isNotDone();
        kinesis.resume();
        assertThat(blocked.get(20, TimeUnit.SECONDS).get(20, TimeUnit.SECONDS).shardId()).isNotNull();
    }

    @Test
    void closeCompletesEveryFutureEvenWhenTheEndpointIsStalled() throws Exception {
        FakeKinesis kinesis = fake(2);
        KinesisProducer producer = KinesisProducer.builder().stream("s").client(kinesis).build();
        toClose.add(kinesis);
        producer.ready().get(5, TimeUnit.SECONDS);
        kinesis.stall();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(producer.send("k" + i, new byte[10]));
        }
        producer.close(Duration.ofMillis(500));
        assertThat(futures).allMatch(CompletableFuture::isDone);
        assertThat(catchFailure(futures.get(0))).isInstanceOf(ProducerClosedException.class);
        assertThat(catchFailure(producer.send("late", new byte[1]))).isInstanceOf(ProducerClosedException.class);
    }

    @Test
    void aSplitMovesQueuedRecordsToTheChildrenAndResendsSubRecordsOfStaleAggregates() throws Exception {
        FakeKinesis kinesis = fake(2);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).shardRateLimit(0)
                .maxBufferedTime(Duration.ofMillis(2)));
        producer.ready().get(5, TimeUnit.SECONDS);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            if (i == 1_000) {
                // The stream is split behind the producer's back: its map is stale until a record lands elsewhere.
                kinesis.reshard(FakeKinesis.evenShards(4, 2));
            }
            futures.add(producer.send("k" + (i % 101), payload("k", i)));
            if (i % 100 == 0) {
                Thread.sleep(5);
            }
        }
        producer.flush().get(30, TimeUnit.SECONDS);
        assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
        // Each user record once on the shard that owns it (stale copies are flagged and skipped by readers).
        assertThat(kinesis.all()).hasSize(2_000);
        assertThat(kinesis.all()).allMatch(r -> r.shardId().compareTo("shardId-000000000002") >= 0
                || Integer.parseInt(new String(r.data(), StandardCharsets.UTF_8).substring(2)) < 1_000);
        for (FakeKinesis.Stored record : kinesis.all()) {
            SendResult result = futures.get(Integer.parseInt(new String(record.data(), StandardCharsets.UTF_8).substring(2))).join();
            assertThat(result.shardId()).isEqualTo(record.shardId());
            assertThat(result.sequenceNumber()).isEqualTo(record.sequenceNumber());
        }
        for (int i = 0; i < 100; i++) {
            futures.add(producer.send("after" + i, new byte[5]));
        }
        producer.flush().get(30, TimeUnit.SECONDS);
        assertThat(producer.shardStates()).extracting(ShardState::shardId)
                .containsExactlyInAnyOrder("shardId-000000000002", "shardId-000000000003", "shardId-000000000004",
                        "shardId-000000000005");
    }

    @Test
    void unorderedRecordsOfAHotShardAreSpreadToColdShards() throws Exception {
        FakeKinesis kinesis = fake(4);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).shardRateLimit(0)
                .keySpreading(true, 4).hotShardFraction(0.2));
        producer.ready().get(5, TimeUnit.SECONDS);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
        int i = 0;
        while (System.nanoTime() < end) {
            futures.add(producer.send(ProducerRecord.of("hot", new byte[100]).asUnordered()));
            if (++i % 100 == 0) {
                Thread.sleep(10); // about 10,000 records/s on one key: ten times a shard's limit
            }
        }
        producer.flush().get(30, TimeUnit.SECONDS);
        assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
        long shardsUsed = futures.stream().map(f -> f.join().shardId()).distinct().count();
        assertThat(shardsUsed).isGreaterThan(1);
    }

    @Test
    void anOrderedHotKeysSubKeyBucketsLandOnDistinctShardsAndKeepPerSubKeyOrder() throws Exception {
        FakeKinesis kinesis = fake(4);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).shardRateLimit(0)
                .keySpreading(true, 4).hotShardFraction(0.05));
        producer.ready().get(5, TimeUnit.SECONDS);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
        int i = 0;
        while (System.nanoTime() < end) { // about 10,000 small records/s on one key: over 5% of a shard's bytes
            String device = "device-" + (i % 16);
            futures.add(producer.send(ProducerRecord.of("hot", payload(device, i)).withOrderingSubKey(device)));
            if (++i % 100 == 0) {
                Thread.sleep(10);
            }
        }
        producer.flush().get(30, TimeUnit.SECONDS);
        assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
        // Four buckets, four shards: each bucket on a shard of its own once the key is spread.
        assertThat(futures.stream().map(f -> f.join().shardId()).distinct().count()).isEqualTo(4);
        // Within each shard, a sub-key's records are stored in send order.
        for (List<FakeKinesis.Stored> shardRecords : kinesis.stored.values()) {
            Map<String, Integer> lastByDevice = new HashMap<>();
            for (FakeKinesis.Stored record : shardRecords) {
                String text = new String(record.data(), StandardCharsets.UTF_8);
                String device = text.substring(0, text.indexOf(':'));
                int n = Integer.parseInt(text.substring(text.indexOf(':') + 1));
                Integer previous = lastByDevice.put(device, n);
                assertThat(previous == null || previous < n).as("order of %s: %s after %s", device, n, previous).isTrue();
            }
        }
    }

    @Test
    void recordsOfAnAggregateStoredOnAShardThatClosedBeforeTheMapReloadExpireAndFlushCompletes() throws Exception {
        FakeKinesis kinesis = fake(2);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).shardRateLimit(0)
                .recordTtl(Duration.ofSeconds(1)));
        producer.ready().get(5, TimeUnit.SECONDS);
        // Split behind the producer's back, and split the children again right after the first answer: the
        // aggregate lands on a child the producer never knew, which is closed by the time the map reloads.
        kinesis.reshard(FakeKinesis.evenShards(4, 2));
        kinesis.reshardAfterNextPut = FakeKinesis.evenShards(8, 6);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(producer.send("k", payload("k", i)));
        }
        producer.flush().get(10, TimeUnit.SECONDS);
        assertThat(futures).allMatch(CompletableFuture::isDone);
        Throwable error = catchFailure(futures.get(0));
        assertThat(error).isInstanceOf(RecordExpiredException.class);
        assertThat(((RecordExpiredException) error).attempts()).anyMatch(a -> "ShardNotInMap".equals(a.errorCode()));
        assertThat(producer.outstandingRecords()).isZero();
        assertThat(producer.bufferedBytes()).isZero();
        // The shard's queue is no longer held: later records of the key go out.
        assertThat(producer.send("k", new byte[5]).get(10, TimeUnit.SECONDS).shardId()).isNotNull();
    }

    @Test
    void anUnorderedAnswerWithManyThrottledEntriesCutsTheRateOnce() throws Exception {
        FakeKinesis kinesis = fake(1);
        KinesisProducer producer = producer(KinesisProducer.builder().stream("s").client(kinesis).ordered(false)
                .aggregation(false).maxBufferedTime(Duration.ofSeconds(1)));
        producer.ready().get(5, TimeUnit.SECONDS);
        kinesis.throttleAllOfNextCalls.set(1);
        CompletableFuture<Void> firstCall = kinesis.stall();
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(producer.send("k" + i, new byte[10]));
        }
        CompletableFuture<Void> flushed = producer.flush(); // every record ready at once: one request
        while (kinesis.calls.get() == 0) {
            Thread.sleep(5);
        }
        kinesis.stall(); // the retries wait, so no success raises the rate before it is read
        firstCall.complete(null);
        while (producer.shardStates().get(0).throttles() < kinesis.requestSizes.get(0)) {
            Thread.sleep(5);
        }
        ShardState afterAnswer = producer.shardStates().get(0);
        kinesis.resume();
        flushed.get(30, TimeUnit.SECONDS);
        assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
        assertThat(kinesis.requestSizes.get(0)).as("entries throttled in the first answer").isGreaterThan(1);
        assertThat(afterAnswer.throttles()).isEqualTo((long) kinesis.requestSizes.get(0));
        // One answer, one cut: half the limit, not 2^-k of it.
        assertThat(afterAnswer.recordRateLimit()).isEqualTo(500);
    }

    private static Throwable catchFailure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("future succeeded but a failure was expected");
    }
}
