package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.kinesis.StreamReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The fencing rule: once a worker learns its lease is gone (or its heartbeat fell behind), its
 * processor receives nothing more from that shard, however the stop meets the worker: between a
 * read and the delivery, during a checkpoint that hangs, or for a lease taken after the fence.
 */
class FencedWorkerTest {
    private static final AtomicInteger TABLES = new AtomicInteger();


    private static LeaseTable table(GatedDynamoDb dynamo) {
        LeaseTable table = new LeaseTable(dynamo, "fenced-" + TABLES.incrementAndGet(), Duration.ofSeconds(30),
                ConsumerMetrics.NONE);
        table.createIfMissing();
        return table;
    }

    static ConsumerSettings settings(String worker) {
        return new ConsumerSettings("app", "t", new StreamReference("s", null), InitialPosition.trimHorizon(),
                RetrievalMode.POLLING, "app",
                new LeaseTiming(worker, Duration.ofMillis(1600), Duration.ofMillis(400), Duration.ofMillis(200),
                        Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofSeconds(30), 1, Duration.ofSeconds(10)),
                new ShardPolicy(worker, Integer.MAX_VALUE, FailurePolicy.RETRY_FOREVER, null, (s, e) -> { }, false),
                PollingSettings.defaults(), Duration.ofSeconds(30));
    }

    private static HeldLease hold(LeaseTable table, String shard) {
        table.createLease(shard, Checkpoint.TRIM_HORIZON, Set.of(), "0", "340282366920938463463374607431768211455");
        return new HeldLease("w1", table.take(table.get(shard).orElseThrow(), "w1").orElseThrow());
    }

    private static Record record(long seq) {
        return Record.builder().sequenceNumber(Long.toString(seq)).partitionKey("k")
                .data(SdkBytes.fromString("r" + seq, StandardCharsets.UTF_8))
                .approximateArrivalTimestamp(Instant.now()).build();
    }

    /** Records what the processor receives; checkpoints after each batch. */
    private static final class Recording implements RecordProcessor {
        final List<String> received = new CopyOnWriteArrayList<>();
        final AtomicBoolean leaseLost = new AtomicBoolean();

        @Override
        public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
            records.forEach(r -> received.add(r.sequenceNumber()));
            checkpointer.checkpoint();
        }

        @Override
        public void leaseLost() {
            leaseLost.set(true);
        }

        @Override
        public void shardEnded(Checkpointer checkpointer) {
            checkpointer.checkpoint(Checkpoint.SHARD_END);
        }
    }

    @Test
    void aBatchReadWhileTheLeaseWasLostIsNeverDelivered() throws Exception {
        LeaseTable table = table(new GatedDynamoDb(EmbeddedDynamoDb.client()));
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        // A read that is slow to answer, and answers records after the lease was lost meanwhile.
        RetrieverFactory slowRead = (shard, start, stop) -> new Retriever() {
            private boolean first = true;

            @Override
            public RecordBatch next() {
                if (first) {
                    first = false;
                    reading.countDown();
                    try {
                        answer.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new RecordBatch(List.of(record(1), record(2)), 0, null);
                }
                return stop.sleep(20) ? new RecordBatch(List.of(), 0, null) : null;
            }
        };
        Recording processor = new Recording();
        AtomicBoolean finished = new AtomicBoolean();
        ShardWorker worker = new ShardWorker(hold(table, "s-1"), settings("w1"), table, ConsumerMetrics.NONE,
                shard -> processor, slowRead, w -> finished.set(true), () -> { });
        Thread thread = new Thread(worker);
        thread.start();
        assertThat(reading.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        worker.leaseLost();
        answer.countDown();
        thread.join(10_000);

        assertThat(finished).isTrue();
        assertThat(processor.received).as("records read after the lease was lost").isEmpty();
        assertThat(processor.leaseLost).isTrue();
    }

    @Test
    void losingTheLeaseDoesNotWaitForACheckpointThatHangs() throws Exception {
        GatedDynamoDb dynamo = new GatedDynamoDb(EmbeddedDynamoDb.client());
        LeaseTable table = table(dynamo);
        HeldLease held = hold(table, "s-1");
        dynamo.hold(GatedDynamoDb.item("s-1"));
        Recording processor = new Recording();
        ShardWorker worker = new ShardWorker(held, settings("w1"), table, ConsumerMetrics.NONE, shard -> processor,
                (shard, start, stop) -> () -> stop.sleep(20) ? new RecordBatch(List.of(record(1)), 0, null) : null,
                w -> { }, () -> { });
        Thread thread = new Thread(worker);
        thread.start();
        try {
            assertThat(dynamo.awaitHolding(10)).as("the checkpoint write is in flight").isTrue();
            // The coordinator learns of the loss while the checkpoint hangs: it must not wait for it.
            CompletableFuture<Void> marking = CompletableFuture.runAsync(worker::leaseLost);
            await().atMost(Duration.ofSeconds(5)).until(marking::isDone);
            assertThat(held.isLost()).isTrue();
        } finally {
            dynamo.open();
        }
        thread.join(10_000);
        assertThat(processor.received).as("one batch, nothing after the loss").containsExactly("1");
    }

    @Test
    void theFenceStopsShardsStartedAfterItFirstFired() throws Exception {
        GatedDynamoDb dynamo = new GatedDynamoDb(EmbeddedDynamoDb.client());
        WorkerTable workers = new WorkerTable(dynamo, "fenced-workers-" + TABLES.incrementAndGet(),
                Duration.ofSeconds(30), ConsumerMetrics.NONE);
        workers.createIfMissing();
        AtomicInteger fenced = new AtomicInteger();
        try (WorkerLiveness liveness = new WorkerLiveness(workers, settings("w1").leases(), fenced::incrementAndGet)) {
            liveness.start();
            dynamo.fail(GatedDynamoDb.worker("w1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> fenced.get() >= 1);
            int first = fenced.get();
            // A shard started by a round that began before the fence must be stopped too: the fence
            // keeps firing while the heartbeat is late.
            await().atMost(Duration.ofSeconds(10)).until(() -> fenced.get() > first);
            assertThat(liveness.isAlive()).isFalse();
        }
    }

    @Test
    void aThrottledCheckpointIsRetriedAsACheckpointAndTheHandlerDoesNotRunAgain() throws Exception {
        GatedDynamoDb dynamo = new GatedDynamoDb(EmbeddedDynamoDb.client());
        LeaseTable table = table(dynamo);
        HeldLease held = hold(table, "s-1");
        List<String> handled = new CopyOnWriteArrayList<>();
        dynamo.throttle(GatedDynamoDb.item("s-1"), 6);
        runToCheckpointThree(table, held, new HandlerProcessor(r -> handled.add(r.sequenceNumber())));
        assertThat(dynamo.throttledCalls()).isEqualTo(6);
        assertThat(handled).as("each record handled once").containsExactly("1", "2", "3");
    }

    @Test
    void aCheckpointThatLandedButWhoseAnswerWasLostIsNotTakenForALostLease() throws Exception {
        GatedDynamoDb dynamo = new GatedDynamoDb(EmbeddedDynamoDb.client());
        LeaseTable table = table(dynamo);
        HeldLease held = hold(table, "s-1");
        dynamo.loseAnswers(GatedDynamoDb.item("s-1"), 1);
        Recording processor = new Recording();
        runToCheckpointThree(table, held, processor);
        assertThat(processor.leaseLost).as("the lease was never lost").isFalse();
        assertThat(processor.received).as("each record once").containsExactly("1", "2", "3");
        assertThat(held.isLost()).isFalse();
    }

    /** Runs a worker over the batches [r1, r2], [r3] until the stored checkpoint is r3, then shuts it down. */
    private static void runToCheckpointThree(LeaseTable table, HeldLease held, RecordProcessor processor)
            throws InterruptedException {
        List<RecordBatch> batches = new java.util.ArrayList<>(List.of(
                new RecordBatch(List.of(record(1), record(2)), 0, null), new RecordBatch(List.of(record(3)), 0, null)));
        ShardWorker worker = new ShardWorker(held, settings("w1"), table, ConsumerMetrics.NONE, shard -> processor,
                (shard, start, stop) -> () -> !batches.isEmpty() ? batches.remove(0)
                        : stop.sleep(20) ? new RecordBatch(List.of(), 0, null) : null,
                w -> { }, () -> { });
        Thread thread = new Thread(worker);
        thread.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> table.get("s-1").orElseThrow().checkpoint()
                .equals(Checkpoint.at("3", 0)));
        worker.requestShutdown(null);
        thread.join(10_000);
    }
}
