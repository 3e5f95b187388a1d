package io.shardwise.kcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwise.consumer.Checkpoint;
import io.shardwise.consumer.CheckpointException;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.LeaseLostException;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.ShardStart;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

class KclRecordProcessorTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-28T10:00:00.123Z");
    private final CapturingProcessor kcl = new CapturingProcessor();
    private final RecordProcessor adapted = KclProcessors.adapt(() -> kcl).create("shardId-000000000001");
    private final RecordingCheckpointer shardwise = new RecordingCheckpointer();

    @Test
    void initializationInputCarriesTheCheckpointAndThePendingOne() {
        byte[] state = {1, 2, 3};
        adapted.initialize(new ShardStart("shardId-000000000001", Checkpoint.at("100", 4), Checkpoint.at("120", 0),
                state));

        InitializationInput input = kcl.initialization;
        assertThat(input.shardId()).isEqualTo("shardId-000000000001");
        assertThat(input.extendedSequenceNumber()).isEqualTo(new ExtendedSequenceNumber("100", 4L));
        assertThat(input.pendingCheckpointSequenceNumber()).isEqualTo(new ExtendedSequenceNumber("120", 0L));
        assertThat(input.pendingCheckpointState()).containsExactly(1, 2, 3);
    }

    @Test
    void sentinelsBecomeTheKclsSentinels() {
        adapted.initialize(new ShardStart("s", Checkpoint.TRIM_HORIZON, null, null));
        assertThat(kcl.initialization.extendedSequenceNumber()).isSameAs(ExtendedSequenceNumber.TRIM_HORIZON);
        assertThat(kcl.initialization.pendingCheckpointSequenceNumber()).isNull();

        adapted.initialize(new ShardStart("s", new Checkpoint("LATEST", 0), null, null));
        assertThat(kcl.initialization.extendedSequenceNumber()).isSameAs(ExtendedSequenceNumber.LATEST);
        adapted.initialize(new ShardStart("s", new Checkpoint("AT_TIMESTAMP", 0), null, null));
        assertThat(kcl.initialization.extendedSequenceNumber()).isSameAs(ExtendedSequenceNumber.AT_TIMESTAMP);
        adapted.initialize(new ShardStart("s", Checkpoint.SHARD_END, null, null));
        assertThat(kcl.initialization.extendedSequenceNumber()).isSameAs(ExtendedSequenceNumber.SHARD_END);
    }

    @Test
    void recordsKeepSubSequenceNumberAggregationAndEveryField() throws Exception {
        start();
        ConsumerRecord plain = new ConsumerRecord("s", "pk-1", null, bytes("plain"), "200", 0, ARRIVAL, false, false);
        ConsumerRecord sub = new ConsumerRecord("s", "pk-2", "12345", bytes("sub"), "300", 7, ARRIVAL, true, false);

        adapted.processRecords(List.of(plain, sub), shardwise, 1_500);

        ProcessRecordsInput input = kcl.batches.get(0);
        assertThat(input.millisBehindLatest()).isEqualTo(1_500L);
        assertThat(input.isAtShardEnd()).isFalse();
        assertThat(input.childShards()).isEmpty();
        assertThat(input.records()).hasSize(2);
        KinesisClientRecord first = input.records().get(0);
        assertThat(first.sequenceNumber()).isEqualTo("200");
        assertThat(first.subSequenceNumber()).isZero();
        assertThat(first.aggregated()).isFalse();
        assertThat(first.partitionKey()).isEqualTo("pk-1");
        assertThat(first.explicitHashKey()).isNull();
        assertThat(first.approximateArrivalTimestamp()).isEqualTo(ARRIVAL);
        assertThat(StandardCharsets.UTF_8.decode(first.data()).toString()).isEqualTo("plain");
        KinesisClientRecord second = input.records().get(1);
        assertThat(second.sequenceNumber()).isEqualTo("300");
        assertThat(second.subSequenceNumber()).isEqualTo(7);
        assertThat(second.aggregated()).isTrue();
        assertThat(second.explicitHashKey()).isEqualTo("12345");
        assertThat(StandardCharsets.UTF_8.decode(second.data()).toString()).isEqualTo("sub");
    }

    @Test
    void checkpointsMapOneToOne() throws Exception {
        start();
        kcl.onBatch = input -> {
            KinesisClientRecord sub = input.records().get(1);
            input.checkpointer().checkpoint(sub.sequenceNumber(), sub.subSequenceNumber());
            input.checkpointer().checkpoint("300");
            input.checkpointer().checkpoint(Record.builder().sequenceNumber("300").build());
            input.checkpointer().checkpoint();
        };

        adapted.processRecords(twoRecords(), shardwise, 0);

        assertThat(shardwise.calls).containsExactly("checkpoint(300/7)", "checkpoint(300/0)", "checkpoint(300/0)",
                "checkpoint()");
    }

    @Test
    void prepareCheckpointWithoutPositionPreparesTheLastDeliveredRecord() throws Exception {
        start();
        List<ExtendedSequenceNumber> pending = new ArrayList<>();
        kcl.onBatch = input -> {
            PreparedCheckpointer prepared = input.checkpointer().prepareCheckpoint(new byte[] {9});
            pending.add(prepared.pendingCheckpoint());
            prepared.checkpoint();
            PreparedCheckpointer atRecord = input.checkpointer().prepareCheckpoint("200", 0, new byte[] {8});
            pending.add(atRecord.pendingCheckpoint());
        };

        adapted.processRecords(twoRecords(), shardwise, 0);

        assertThat(shardwise.calls).containsExactly("prepare(300/7)", "commit(300/7)", "prepare(200/0)");
        assertThat(pending).containsExactly(new ExtendedSequenceNumber("300", 7L), new ExtendedSequenceNumber("200", 0L));
        assertThat(shardwise.preparedState).containsExactly(8);
    }

    @Test
    void shardEndedCheckpointIsShardEnd() throws Exception {
        start();
        kcl.onShardEnded = input -> {
            assertThat(input.checkpointer().prepareCheckpoint().pendingCheckpoint())
                    .isEqualTo(ExtendedSequenceNumber.SHARD_END);
            input.checkpointer().checkpoint();
        };

        adapted.shardEnded(shardwise);

        assertThat(shardwise.calls).containsExactly("prepare(SHARD_END)", "checkpoint(SHARD_END)");
    }

    @Test
    void shutdownRequestedCheckpointsTheLastDeliveredRecord() throws Exception {
        start();
        adapted.processRecords(twoRecords(), shardwise, 0);
        kcl.onShutdownRequested = input -> {
            input.checkpointer().checkpoint();
            assertThat(input.checkpointer().prepareCheckpoint().pendingCheckpoint())
                    .isEqualTo(new ExtendedSequenceNumber("300", 7L));
        };

        adapted.shutdownRequested(shardwise);

        assertThat(shardwise.calls).containsExactly("checkpoint()", "prepare(300/7)");
        assertThat(kcl.shutdownRequested).isTrue();
    }

    @Test
    void leaseLostReachesTheProcessor() {
        start();
        adapted.leaseLost();
        assertThat(kcl.leaseLost).isTrue();
    }

    @Test
    void aLostLeaseIsTheKclsShutdownException() throws Exception {
        start();
        shardwise.failWith = new LeaseLostException("s", "worker-1", "taken by worker-2");
        List<Exception> thrown = failuresOfEveryCheckpointCall();
        assertThat(thrown).hasSize(4).allSatisfy(e -> assertThat(e).isInstanceOf(ShutdownException.class)
                .hasMessageContaining("no longer holds the lease").hasCauseInstanceOf(LeaseLostException.class));
    }

    @Test
    void aRefusedPositionIsIllegalArgument() throws Exception {
        start();
        shardwise.failWith = new CheckpointException("checkpoint 100/0 is behind the stored checkpoint 200/0");
        List<Exception> thrown = failuresOfEveryCheckpointCall();
        assertThat(thrown).hasSize(4).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("behind the stored checkpoint"));
    }

    @Test
    void anyOtherFailureIsADependencyException() throws Exception {
        start();
        shardwise.failWith = new IllegalStateException("table unavailable");
        List<Exception> thrown = failuresOfEveryCheckpointCall();
        assertThat(thrown).hasSize(4).allSatisfy(e -> assertThat(e)
                .isInstanceOf(KinesisClientLibDependencyException.class).hasMessageContaining("table unavailable"));
    }

    @Test
    void malformedPositionsAreIllegalArgumentsBeforeAnyWrite() throws Exception {
        start();
        kcl.onBatch = input -> {
            assertThatThrownBy(() -> input.checkpointer().checkpoint((String) null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> input.checkpointer().checkpoint((Record) null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> input.checkpointer().checkpoint("300", -1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> input.checkpointer().checkpoint("not-a-number"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> input.checkpointer().checkpointer())
                    .isInstanceOf(UnsupportedOperationException.class);
        };
        adapted.processRecords(twoRecords(), shardwise, 0);
        assertThat(shardwise.calls).isEmpty();
    }

    @Test
    void eachShardGetsItsOwnProcessor() {
        List<CapturingProcessor> created = new ArrayList<>();
        var factory = KclProcessors.adapt(() -> {
            CapturingProcessor p = new CapturingProcessor();
            created.add(p);
            return p;
        });
        factory.create("a").initialize(new ShardStart("a", Checkpoint.TRIM_HORIZON, null, null));
        factory.create("b").initialize(new ShardStart("b", Checkpoint.TRIM_HORIZON, null, null));
        assertThat(created).hasSize(2);
        assertThat(created.get(0).initialization.shardId()).isEqualTo("a");
        assertThat(created.get(1).initialization.shardId()).isEqualTo("b");
    }

    @Test
    void aFactoryForStreamsIsAskedWithTheSingleStreamIdentifier() {
        List<StreamIdentifier> asked = new ArrayList<>();
        ShardRecordProcessorFactory factory = streamAwareFactory(asked);
        KclProcessors.adapt(factory, "orders").create("shardId-000000000000");
        assertThat(asked).containsExactly(StreamIdentifier.singleStreamInstance("orders"));
    }

    @Test
    void aMultiStreamConsumerAsksTheFactoryWithTheMultiStreamIdentifier() {
        List<StreamIdentifier> asked = new ArrayList<>();
        ShardRecordProcessorFactory factory = streamAwareFactory(asked);
        KclProcessors.adapt(factory).create("shardId-000000000000",
                io.shardwise.consumer.StreamIdentifier.parse("123456789012:orders:1700000000"));
        assertThat(asked).singleElement().satisfies(stream -> {
            assertThat(stream.serialize()).isEqualTo("123456789012:orders:1700000000");
            assertThat(stream.accountIdOptional()).contains("123456789012");
            assertThat(stream.streamCreationEpochOptional()).contains(1700000000L);
        });
    }

    private List<Exception> failuresOfEveryCheckpointCall() throws Exception {
        List<Exception> thrown = new ArrayList<>();
        kcl.onBatch = input -> {
            for (CheckpointCall call : List.<CheckpointCall>of(
                    () -> input.checkpointer().checkpoint(),
                    () -> input.checkpointer().checkpoint("300", 7),
                    () -> input.checkpointer().prepareCheckpoint("300", 7),
                    () -> input.checkpointer().prepareCheckpoint())) {
                try {
                    call.run();
                } catch (Exception e) {
                    thrown.add(e);
                }
            }
        };
        adapted.processRecords(twoRecords(), shardwise, 0);
        return thrown;
    }

    private void start() {
        adapted.initialize(new ShardStart("s", Checkpoint.TRIM_HORIZON, null, null));
    }

    private static List<ConsumerRecord> twoRecords() {
        return List.of(new ConsumerRecord("s", "pk-1", null, bytes("a"), "200", 0, ARRIVAL, false, false),
                new ConsumerRecord("s", "pk-2", null, bytes("b"), "300", 7, ARRIVAL, true, false));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface CheckpointCall {
        void run() throws Exception;
    }

    @FunctionalInterface
    interface Step<T> {
        void accept(T input) throws Exception;
    }

    /** A KCL processor that keeps what it was given and runs a test's step inside each call. */
    static final class CapturingProcessor implements ShardRecordProcessor {
        InitializationInput initialization;
        final List<ProcessRecordsInput> batches = new ArrayList<>();
        Step<ProcessRecordsInput> onBatch = input -> { };
        Step<ShardEndedInput> onShardEnded = input -> { };
        Step<ShutdownRequestedInput> onShutdownRequested = input -> { };
        boolean leaseLost;
        boolean shutdownRequested;

        @Override
        public void initialize(InitializationInput input) {
            initialization = input;
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            batches.add(input);
            run(onBatch, input);
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
            leaseLost = true;
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            run(onShardEnded, input);
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            shutdownRequested = true;
            run(onShutdownRequested, input);
        }

        private static <T> void run(Step<T> step, T input) {
            try {
                step.accept(input);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A factory that must be asked with the stream, and notes each stream it was asked with. */
    private static ShardRecordProcessorFactory streamAwareFactory(List<StreamIdentifier> asked) {
        return new ShardRecordProcessorFactory() {
            @Override
            public ShardRecordProcessor shardRecordProcessor() {
                throw new AssertionError("the stream-aware method must be used");
            }

            @Override
            public ShardRecordProcessor shardRecordProcessor(StreamIdentifier stream) {
                asked.add(stream);
                return new CapturingProcessor();
            }
        };
    }
}
