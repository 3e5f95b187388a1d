package io.shardwise.it.consumer;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.KclWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Migration from the real KCL 3.5.1 on the same lease table: the KCL processes part of a stream of
 * KPL aggregates and checkpoints inside an aggregate, then stops; Shardwise starts on the same
 * application and resumes at the next user record: nothing before the checkpoint again, nothing
 * after it missed.
 */
@ShardwiseTest
@StreamShards(1)
class KclMigrationIT {
    private static final int RECORDS = 300;
    private static final int CHECKPOINT_AT = 154;

    @Test
    void shardwiseResumesExactlyAfterTheKclsCheckpoint(LocalEngines engines, TestStream stream, LeaseTableName app)
            throws Exception {
        writeAggregatesOfTen(engines, stream);

        List<Integer> seenByKcl = new CopyOnWriteArrayList<>();
        AtomicReference<String> kclCheckpoint = new AtomicReference<>();
        try (KclWorker kcl = new KclWorker(engines, stream.name(), app.value(), "kcl-worker",
                () -> new KclCheckpointOnce(seenByKcl, KclMigrationIT::number, CHECKPOINT_AT,
                        r -> kclCheckpoint.set(r.sequenceNumber() + "/" + r.subSequenceNumber())))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> kclCheckpoint.get() != null && seenByKcl.size() > CHECKPOINT_AT);
        }
        var leases = LeaseItems.shardLeases(engines.dynamoDbClient(), app.value());
        var kclLease = leases.values().iterator().next();
        assertThat(kclCheckpoint.get()).isEqualTo(LeaseItems.checkpoint(kclLease) + "/"
                + kclLease.get("checkpointSubSequenceNumber").n());

        Received received = new Received();
        try (ShardwiseConsumer consumer = LocalWorkers.receiving(engines, stream, app, "shardwise-1", received)) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> received.distinctPayloads()
                    >= RECORDS - CHECKPOINT_AT - 1);
            Thread.sleep(1_000);
        }
        List<Integer> numbers = received.payloads().stream().map(KclMigrationIT::number).toList();
        assertThat(numbers).containsExactlyElementsOf(IntStream.range(CHECKPOINT_AT + 1, RECORDS).boxed().toList());
        assertThat(received.all().get(0).record().subSequenceNumber()).isEqualTo((CHECKPOINT_AT % 10) + 1);
    }

    private static void writeAggregatesOfTen(LocalEngines engines, TestStream stream) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        RecordAggregator aggregator = new RecordAggregator();
        for (int n = 0; n < RECORDS; n++) {
            String key = "key-" + (n % 7);
            aggregator.tryAdd(key, null, (key + ":" + n).getBytes(StandardCharsets.UTF_8));
            if (n % 10 == 9) {
                KinesisRecord r = aggregator.emit();
                entries.add(PutRecordsRequestEntry.builder().partitionKey(r.partitionKey())
                        .explicitHashKey(r.explicitHashKey()).data(SdkBytes.fromByteArray(r.data())).build());
            }
        }
        Writes.put(engines.kinesisClient(), stream.name(), entries);
    }

    private static int number(String payload) {
        return Integer.parseInt(payload.substring(payload.indexOf(':') + 1));
    }
}
