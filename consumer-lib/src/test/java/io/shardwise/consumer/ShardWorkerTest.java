package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.kinesis.StreamReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.HashKeyRange;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * One shard worker over a scripted sequence of batches (instead of Kinesis) and the real lease
 * table in DynamoDB Local: failure policies, resuming inside a checkpoint, and the shard's end.
 */
class ShardWorkerTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private LeaseTable table;


    @BeforeEach
    void freshTable() {
        table = new LeaseTable(EmbeddedDynamoDb.client(), "worker-leases-" + TABLES.incrementAndGet(),
                Duration.ofSeconds(5), ConsumerMetrics.NONE);
        table.createIfMissing();
    }

    private static ConsumerSettings settings(FailurePolicy policy, int attempts, PoisonBatchHandler poison,
                                             ShardFailureListener listener) {
        return settings(policy, attempts, poison, listener, false);
    }

    private static ConsumerSettings settings(FailurePolicy policy, int attempts, PoisonBatchHandler poison,
                                             ShardFailureListener listener, boolean deliverOutsideRange) {
        return new ConsumerSettings("app", "t", new StreamReference("s", null), InitialPosition.trimHorizon(),
                RetrievalMode.POLLING, "app",
                new LeaseTiming("w1", Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1),
                        Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(30), 1, Duration.ofSeconds(10)),
                new ShardPolicy("w1", attempts, policy, poison, listener, deliverOutsideRange),
                PollingSettings.defaults(), Duration.ofSeconds(5));
    }

    private static Record record(long seq) {
        return Record.builder().sequenceNumber(Long.toString(seq)).partitionKey("k")
                .data(SdkBytes.fromString("r" + seq, StandardCharsets.UTF_8))
                .approximateArrivalTimestamp(Instant.now()).build();
    }

    /** Hands out the scripted batches, then empty batches until stopped. */
    private static RetrieverFactory scripted(List<RecordBatch> batches) {
        return (shard, start, stop) -> {
            Deque<RecordBatch> left = new ArrayDeque<>(batches);
            return () -> {
                if (!left.isEmpty()) {
                    return left.poll();
                }
                return stop.sleep(20) ? new RecordBatch(List.of(), 0, null) : null;
            };
        };
    }

    private HeldLease hold(String shard, Checkpoint checkpoint) {
        table.createLease(shard, checkpoint, Set.of(), "0", "340282366920938463463374607431768211455");
        return new HeldLease("w1", table.take(table.get(shard).orElseThrow(), "w1").orElseThrow());
    }

    private ShardWorker worker(HeldLease held, ConsumerSettings settings, RecordProcessor processor,
                               List<RecordBatch> batches, AtomicBoolean finished) {
        return new ShardWorker(held, settings, table, ConsumerMetrics.NONE, shard -> processor, scripted(batches),
                w -> finished.set(true), () -> { });
    }

    private static List<String> data(List<ConsumerRecord> records) {
        return records.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aBatchThatKeepsFailingGoesToThePoisonHandlerAndTheNextBatchesFollow() throws Exception {
        List<String> processed = new CopyOnWriteArrayList<>();
        List<List<String>> poisoned = new CopyOnWriteArrayList<>();
        AtomicInteger attemptsOnPoison = new AtomicInteger();
        RecordProcessor processor = failingOnR2(processed, () -> {
            attemptsOnPoison.incrementAndGet();
            return new IllegalArgumentException("cannot handle r2");
        });
        AtomicBoolean finished = new AtomicBoolean();
        HeldLease held = hold("s-1", Checkpoint.TRIM_HORIZON);
        ShardWorker worker = worker(held, settings(FailurePolicy.POISON_HANDLER, 3,
                        (shard, records, e) -> poisoned.add(data(records)), (s, e) -> { }), processor,
                List.of(new RecordBatch(List.of(record(1)), 0, null), new RecordBatch(List.of(record(2)), 0, null),
                        new RecordBatch(List.of(record(3)), 0, null)), finished);
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.contains("r3"));
        worker.requestShutdown(null);
        thread.join(10_000);
        assertThat(attemptsOnPoison.get()).isEqualTo(3);
        assertThat(poisoned).containsExactly(List.of("r2"));
        assertThat(processed).containsExactly("r1", "r3");
        assertThat(table.get("s-1").orElseThrow().checkpoint()).isEqualTo(Checkpoint.at("3", 0));
        assertThat(finished).isTrue();
    }

    @Test
    void withStopShardTheShardStopsAtTheFailingBatchAndIsReported() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        List<String> processed = new CopyOnWriteArrayList<>();
        RecordProcessor processor = failingOnR2(processed, () -> new IllegalStateException("broken"));
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = worker(hold("s-1", Checkpoint.TRIM_HORIZON),
                settings(FailurePolicy.STOP_SHARD, 2, null, (shard, e) -> reported.add(shard + ": " + e.getMessage())),
                processor, List.of(new RecordBatch(List.of(record(1)), 0, null),
                        new RecordBatch(List.of(record(2)), 0, null), new RecordBatch(List.of(record(3)), 0, null)),
                finished);
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !reported.isEmpty());
        Thread.sleep(300);
        worker.requestShutdown(null);
        thread.join(10_000);
        assertThat(reported).containsExactly("s-1: broken");
        assertThat(processed).containsExactly("r1");
        assertThat(table.get("s-1").orElseThrow().checkpoint()).isEqualTo(Checkpoint.at("1", 0));
    }

    @Test
    void aProcessorWhoseInitializeAlwaysFailsIsStoppedAndReportedOnceAndKeepsItsLeaseUntilShutdown()
            throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        AtomicInteger initializations = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        RecordProcessor processor = new RecordProcessor() {
            @Override
            public void initialize(ShardStart start) {
                initializations.incrementAndGet();
                throw new IllegalStateException("no database");
            }

            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
                batches.incrementAndGet();
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint();
            }
        };
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = worker(hold("s-1", Checkpoint.TRIM_HORIZON),
                settings(FailurePolicy.POISON_HANDLER, 3, (shard, records, e) -> { },
                        (shard, e) -> reported.add(shard + ": " + e.getMessage())),
                processor, List.of(new RecordBatch(List.of(record(1)), 0, null)), finished);
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !reported.isEmpty());
        Thread.sleep(500);
        // Parked, not looping: no further attempt, the lease still held by this worker.
        assertThat(initializations.get()).isEqualTo(3);
        assertThat(finished).isFalse();
        assertThat(table.get("s-1").orElseThrow().owner()).isEqualTo("w1");
        worker.requestShutdown(null);
        thread.join(10_000);
        assertThat(finished).isTrue();
        assertThat(reported).containsExactly("s-1: no database");
        assertThat(batches.get()).isZero();
        assertThat(table.get("s-1").orElseThrow().owner()).isNull();
    }

    @Test
    void resumesAfterTheCheckpointThenAtTheShardsEndCreatesChildrenCheckpointsShardEndAndReleases()
            throws Exception {
        List<String> processed = new CopyOnWriteArrayList<>();
        List<Checkpoint> startedFrom = new ArrayList<>();
        RecordProcessor processor = new RecordProcessor() {
            @Override
            public void initialize(ShardStart start) {
                startedFrom.add(start.checkpoint());
            }

            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
                processed.addAll(data(records));
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint(Checkpoint.SHARD_END);
            }
        };
        ChildShard child = ChildShard.builder().shardId("s-9").parentShards("s-1", "s-2")
                .hashKeyRange(HashKeyRange.builder().startingHashKey("0").endingHashKey("99").build()).build();
        AtomicBoolean finished = new AtomicBoolean();
        // Read starts AT the checkpoint's sequence number: record 5 was done and must not come again.
        ShardWorker worker = worker(hold("s-1", Checkpoint.at("5", 0)),
                settings(FailurePolicy.RETRY_FOREVER, Integer.MAX_VALUE, null, (s, e) -> { }), processor,
                List.of(new RecordBatch(List.of(record(5), record(6)), 0, null),
                        new RecordBatch(List.of(record(7)), 0, List.of(child))), finished);
        Thread thread = new Thread(worker);
        thread.start();
        thread.join(20_000);
        assertThat(finished).isTrue();
        assertThat(startedFrom).containsExactly(Checkpoint.at("5", 0));
        assertThat(processed).containsExactly("r6", "r7");
        Lease parent = table.get("s-1").orElseThrow();
        assertThat(parent.isFinished()).isTrue();
        assertThat(parent.owner()).as("released").isNull();
        assertThat(parent.childShardIds()).containsExactly("s-9");
        Lease childLease = table.get("s-9").orElseThrow();
        assertThat(childLease.parentShardIds()).containsExactlyInAnyOrder("s-1", "s-2");
        assertThat(childLease.checkpoint()).isEqualTo(Checkpoint.TRIM_HORIZON);
    }

    @Test
    void aRetryAfterACheckpointInsideTheBatchRedeliversOnlyWhatFollowsTheCheckpoint() throws Exception {
        List<String> processed = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        // Checkpoints each record after handling it; fails once on r3, after r2 was checkpointed.
        RecordProcessor processor = processing((records, checkpointer) -> {
            for (ConsumerRecord record : records) {
                String data = new String(record.data(), StandardCharsets.UTF_8);
                if (data.equals("r3") && failedOnce.compareAndSet(false, true)) {
                    throw new IllegalStateException("r3 failed once");
                }
                processed.add(data);
                checkpointer.checkpoint(record);
            }
        });
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = worker(hold("s-1", Checkpoint.TRIM_HORIZON),
                settings(FailurePolicy.RETRY_FOREVER, Integer.MAX_VALUE, null, (s, e) -> { }), processor,
                List.of(new RecordBatch(List.of(record(1), record(2), record(3), record(4)), 0, null),
                        new RecordBatch(List.of(record(5)), 0, null)), finished);
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.contains("r5"));
        worker.requestShutdown(null);
        thread.join(10_000);
        assertThat(processed).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(table.get("s-1").orElseThrow().checkpoint()).isEqualTo(Checkpoint.at("5", 0));
    }

    @Test
    void aCheckpointAtOrBelowTheStoredOneDuringARedeliveryIsANoOp() throws Exception {
        List<String> processed = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        // Checkpoints r2, fails on the first attempt; on the retry checkpoints r2 again, then r3.
        RecordProcessor processor = processing((records, checkpointer) -> {
            if (attempts.incrementAndGet() == 1) {
                checkpointer.checkpoint(Checkpoint.at("2", 0));
                throw new IllegalStateException("failed after the checkpoint");
            }
            checkpointer.checkpoint(Checkpoint.at("2", 0));
            checkpointer.checkpoint(Checkpoint.at("1", 0));
            processed.addAll(data(records));
            checkpointer.checkpoint();
        });
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = worker(hold("s-1", Checkpoint.TRIM_HORIZON),
                settings(FailurePolicy.RETRY_FOREVER, Integer.MAX_VALUE, null, (s, e) -> { }), processor,
                List.of(new RecordBatch(List.of(record(1), record(2), record(3)), 0, null)), finished);
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> processed.contains("r3"));
        worker.requestShutdown(null);
        thread.join(10_000);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(processed).containsExactly("r3");
        assertThat(table.get("s-1").orElseThrow().checkpoint()).isEqualTo(Checkpoint.at("3", 0));
    }

    @Test
    void aShardThatNoLongerExistsIsEndedSoItsChildrenCanStart() throws Exception {
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean shardEndedCalled = new AtomicBoolean();
        RecordProcessor processor = new RecordProcessor() {
            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                shardEndedCalled.set(true);
                checkpointer.checkpoint(Checkpoint.SHARD_END);
            }
        };
        // A shard trimmed after the retention period: every read of it answers ResourceNotFound.
        software.amazon.awssdk.services.kinesis.KinesisAsyncClient trimmed =
                new software.amazon.awssdk.services.kinesis.KinesisAsyncClient() {
                    @Override
                    public java.util.concurrent.CompletableFuture<
                            software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse> getShardIterator(
                            software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest request) {
                        return java.util.concurrent.CompletableFuture.failedFuture(
                                software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException.builder()
                                        .message("Shard " + request.shardId() + " does not exist").build());
                    }

                    @Override
                    public String serviceName() {
                        return "kinesis";
                    }

                    @Override
                    public void close() {
                    }
                };
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = new ShardWorker(hold("s-1", Checkpoint.at("5", 0)),
                settings(FailurePolicy.RETRY_FOREVER, Integer.MAX_VALUE, null, (s, e) -> { }), table,
                ConsumerMetrics.NONE, shard -> processor,
                (shard, start, stop) -> new PollingRetriever(trimmed, new StreamReference("s", null), new ReadStart(shard, start, null),
                        PollingSettings.defaults(), stop),
                w -> finished.set(true), () -> ended.set(true));
        Thread thread = new Thread(worker);
        thread.start();
        thread.join(20_000);
        assertThat(finished).isTrue();
        assertThat(shardEndedCalled).isTrue();
        assertThat(ended).as("a shard sync is asked for, which creates the children's leases").isTrue();
        Lease lease = table.get("s-1").orElseThrow();
        assertThat(lease.isFinished()).isTrue();
        assertThat(lease.owner()).isNull();
    }

    /** One aggregate on a shard covering the lower half of the key space; "stale" belongs to the upper half. */
    private List<String> deliveredFromAMisplacedAggregate(boolean deliverOutsideRange) throws Exception {
        String mid = "170141183460469231731687303715884105727";
        table.createLease("s-low", Checkpoint.TRIM_HORIZON, Set.of(), "0", mid);
        HeldLease held = new HeldLease("w1", table.take(table.get("s-low").orElseThrow(), "w1").orElseThrow());
        io.shardwise.aggregation.RecordAggregator aggregator = new io.shardwise.aggregation.RecordAggregator();
        aggregator.tryAdd("a", "1", "first".getBytes(StandardCharsets.UTF_8));
        aggregator.tryAdd("b", "170141183460469231731687303715884105728", "stale".getBytes(StandardCharsets.UTF_8));
        aggregator.tryAdd("c", "2", "third".getBytes(StandardCharsets.UTF_8));
        io.shardwise.aggregation.KinesisRecord aggregate = aggregator.emit();
        Record outer = Record.builder().sequenceNumber("7").partitionKey(aggregate.partitionKey())
                .data(SdkBytes.fromByteArray(aggregate.data())).approximateArrivalTimestamp(Instant.now()).build();
        List<String> delivered = new CopyOnWriteArrayList<>();
        RecordProcessor processor = processing((records, checkpointer) -> {
            delivered.addAll(data(records));
            checkpointer.checkpoint();
        });
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = worker(held, settings(FailurePolicy.RETRY_FOREVER, Integer.MAX_VALUE, null,
                (s, e) -> { }, deliverOutsideRange), processor, List.of(new RecordBatch(List.of(outer), 0, null)),
                finished);
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.contains("third"));
        worker.requestShutdown(null);
        thread.join(10_000);
        return delivered;
    }

    @Test
    void subRecordsOutsideTheShardsRangeAreDroppedByDefaultBecauseTheProducerResendsThem() throws Exception {
        assertThat(deliveredFromAMisplacedAggregate(false)).containsExactly("first", "third");
    }

    @Test
    void subRecordsOutsideTheShardsRangeAreDeliveredWhenAskedForProducersThatNeverResend() throws Exception {
        assertThat(deliveredFromAMisplacedAggregate(true)).containsExactly("first", "stale", "third");
    }

    /**
     * A processor that throws what {@code failure} makes on every batch holding record "r2", and adds the
     * other batches to {@code processed} and checkpoints them.
     */
    private static RecordProcessor failingOnR2(List<String> processed, Supplier<RuntimeException> failure) {
        return new RecordProcessor() {
            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
                if (data(records).contains("r2")) {
                    throw failure.get();
                }
                processed.addAll(data(records));
                checkpointer.checkpoint();
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint();
            }
        };
    }

    /** The batch part of a processor. */
    private interface BatchBody {
        void process(List<ConsumerRecord> records, Checkpointer checkpointer) throws Exception;
    }

    /** A processor running {@code body} on each batch and checkpointing SHARD_END at the shard's end. */
    private static RecordProcessor processing(BatchBody body) {
        return new RecordProcessor() {
            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind)
                    throws Exception {
                body.process(records, checkpointer);
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint(Checkpoint.SHARD_END);
            }
        };
    }
}
