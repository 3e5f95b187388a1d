package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.faults.FaultKind;
import io.shardwise.testkit.faults.FaultProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.consumer.Checkpointer;
import io.shardwise.consumer.ConsumerRecord;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.RecordProcessor;
import io.shardwise.consumer.ShardwiseConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** Polling delivers everything, in order per shard, checkpoints, and never skips a failed batch. */
@ShardwiseTest
@StreamShards(2)
class ConsumerDeliveryIT {

    static ShardwiseConsumer.Builder consumer(LocalEngines engines, TestStream stream, LeaseTableName table,
                                              String worker) {
        return ShardwiseConsumer.builder()
                .applicationName(table.value())
                .streamName(stream.name())
                .kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient())
                .workerId(worker)
                .initialPosition(InitialPosition.trimHorizon());
    }

    @Test
    void deliversEveryRecordInShardOrderAndCheckpointsIt(LocalEngines engines, TestStream stream,
                                                          LeaseTableName table) {
        List<String> written = Writes.numbered(engines.kinesisClient(), stream.name(), 0, 300, 20);
        Received received = new Received();
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "w1")
                .recordHandler(r -> received.add("w1", r)).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads() == written.size());
        }
        assertThat(received.payloads()).containsExactlyInAnyOrderElementsOf(written);
        assertPerKeyOrder(received);

        var leases = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value());
        assertThat(leases).hasSize(2);
        Map<String, String> lastSequence = new HashMap<>();
        received.all().forEach(d -> lastSequence.put(d.record().shardId(), d.record().sequenceNumber()));
        leases.forEach((shard, item) -> {
            assertThat(LeaseItems.owner(item)).as("released at close").isNull();
            assertThat(LeaseItems.checkpoint(item)).isEqualTo(lastSequence.get(shard));
        });
    }

    @Test
    void throttledAndFailingReadsBackOffAndStillDeliverEverythingInOrder(LocalEngines engines, TestStream stream,
                                                                          LeaseTableName table) {
        List<String> written = Writes.numbered(engines.kinesisClient(), stream.name(), 0, 200, 10);
        Received received = new Received();
        try (FaultProxy proxy = FaultProxy.builder(engines.kinesisEndpoint()).seed(5)
                .throttleCalls("GetRecords", 0.5).serverErrors("GetRecords", 0.1, 0.1).start();
             ShardwiseConsumer consumer = LocalWorkers.worker(engines, stream, table, "w1")
                     .kinesisClient(engines.kinesisAsyncClient(proxy.endpoint()))
                     .recordHandler(r -> received.add("w1", r)).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> received.distinctPayloads() == written.size());
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_CALL, "GetRecords")).isPositive();
        }
        assertThat(received.payloads()).containsExactlyInAnyOrderElementsOf(written);
        assertPerKeyOrder(received);
    }

    @Test
    void latestAndAtTimestampStartWhereTheySay(LocalEngines engines, TestStream stream, LeaseTableName table)
            throws Exception {
        Writes.numbered(engines.kinesisClient(), stream.name(), 0, 50, 10);
        Thread.sleep(1_500);
        java.time.Instant mark = java.time.Instant.now();
        Thread.sleep(500);
        List<String> afterMark = Writes.numbered(engines.kinesisClient(), stream.name(), 50, 100, 10);
        Received fromMark = new Received();
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "w1")
                .initialPosition(InitialPosition.atTimestamp(mark))
                .recordHandler(r -> fromMark.add("w1", r)).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> fromMark.distinctPayloads() == afterMark.size());
            Thread.sleep(1_000);
        }
        assertThat(fromMark.payloads()).containsExactlyInAnyOrderElementsOf(afterMark);

        Received fromLatest = new Received();
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(table.value() + "-latest")
                .streamName(stream.name()).kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("w2").initialPosition(InitialPosition.latest())
                .recordHandler(r -> fromLatest.add("w2", r)).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.heldShards().size() == 2);
            // Give each shard worker time to fetch its LATEST iterator before the late records.
            Thread.sleep(2_000);
            List<String> late = Writes.numbered(engines.kinesisClient(), stream.name(), 100, 130, 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> fromLatest.distinctPayloads() == late.size());
            assertThat(fromLatest.payloads()).containsExactlyInAnyOrderElementsOf(late);
        }
    }

    @Test
    void aProcessorThatThrowsSkipsNothing(LocalEngines engines, TestStream stream, LeaseTableName table) {
        List<String> written = Writes.numbered(engines.kinesisClient(), stream.name(), 0, 200, 10);
        Received completed = new Received();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        RecordProcessor flaky = new RecordProcessor() {
            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
                // Every other call fails after seeing the batch: the same batch must come again.
                if (calls.incrementAndGet() % 2 == 1) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("processing failed on purpose");
                }
                records.forEach(r -> completed.add("w1", r));
                checkpointer.checkpoint();
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint();
            }
        };
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "w1")
                .processorFactory(shard -> flaky).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> completed.distinctPayloads() == written.size());
        }
        assertThat(failures.get()).isPositive();
        assertThat(completed.payloads()).containsExactlyInAnyOrderElementsOf(written);
        assertPerKeyOrder(completed);
    }

    @Test
    @StreamShards(1)
    void deliversEverySubRecordOfKplAggregatesAndCheckpointsInsideThem(LocalEngines engines, TestStream stream,
                                                                       LeaseTableName table) {
        List<String> written = new ArrayList<>();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        RecordAggregator aggregator = new RecordAggregator();
        for (int n = 0; n < 500; n++) {
            String payload = "key-" + (n % 7) + ":" + n;
            written.add(payload);
            if (!aggregator.tryAdd("key-" + (n % 7), null, payload.getBytes(StandardCharsets.UTF_8)) || n % 100 == 99) {
                entries.add(entry(aggregator.emit()));
                if (n % 100 != 99) {
                    aggregator.tryAdd("key-" + (n % 7), null, payload.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        if (!aggregator.isEmpty()) {
            entries.add(entry(aggregator.emit()));
        }
        Writes.put(engines.kinesisClient(), stream.name(), entries);

        Received received = new Received();
        List<ConsumerRecord> checkpointed = new ArrayList<>();
        RecordProcessor checkpointsMidAggregate = new RecordProcessor() {
            @Override
            public void processRecords(List<ConsumerRecord> records, Checkpointer checkpointer, long behind) {
                for (ConsumerRecord r : records) {
                    received.add("w1", r);
                    if (r.subSequenceNumber() == 42) {
                        checkpointer.checkpoint(r);
                        synchronized (checkpointed) {
                            checkpointed.add(r);
                        }
                    }
                }
            }

            @Override
            public void shardEnded(Checkpointer checkpointer) {
                checkpointer.checkpoint();
            }
        };
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "w1")
                .processorFactory(shard -> checkpointsMidAggregate).build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads() == written.size());
        }
        assertThat(received.payloads()).containsExactlyElementsOf(written);
        assertThat(received.all()).allMatch(d -> d.record().aggregated());

        // A restart resumes inside the aggregate, right after the checkpointed sub-record.
        ConsumerRecord last = checkpointed.get(checkpointed.size() - 1);
        var item = LeaseItems.shardLeases(engines.dynamoDbClient(), table.value()).values().iterator().next();
        assertThat(LeaseItems.checkpoint(item)).isEqualTo(last.sequenceNumber());
        assertThat(item.get("checkpointSubSequenceNumber").n()).isEqualTo("42");
        Received resumed = new Received();
        try (ShardwiseConsumer consumer = consumer(engines, stream, table, "w2")
                .recordHandler(r -> resumed.add("w2", r)).build()) {
            consumer.start();
            int expected = written.size() - 1 - written.indexOf(Writes.text(last.data()));
            await().atMost(Duration.ofSeconds(60)).until(() -> resumed.distinctPayloads() == expected);
            assertThat(resumed.all().get(0).record().sequenceNumber()).isEqualTo(last.sequenceNumber());
            assertThat(resumed.all().get(0).record().subSequenceNumber()).isEqualTo(43);
        }
    }

    private static PutRecordsRequestEntry entry(KinesisRecord record) {
        return PutRecordsRequestEntry.builder().partitionKey(record.partitionKey())
                .explicitHashKey(record.explicitHashKey()).data(SdkBytes.fromByteArray(record.data())).build();
    }

    /** Within a key, payload numbers grow in delivery order (records of a key share a shard). */
    static void assertPerKeyOrder(Received received) {
        Map<String, Integer> lastByKey = new HashMap<>();
        for (Received.Delivery d : received.all()) {
            String[] parts = d.payload().split(":");
            int n = Integer.parseInt(parts[1]);
            Integer previous = lastByKey.put(parts[0], n);
            if (previous != null) {
                assertThat(n).as("order of %s", parts[0]).isGreaterThan(previous);
            }
        }
    }
}
