package io.shardwise.it.interop;

import io.shardwise.testkit.LeaseTableName;
import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.StreamShards;
import io.shardwise.testkit.TestStream;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.consumer.InitialPosition;
import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.it.support.KclWorker;
import io.shardwise.it.support.Reshard;
import io.shardwise.kcl.KclProcessors;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * One processor class written against the KCL's interfaces only ({@link KclUserProcessor}) runs on
 * the same stream twice: under the real KCL 3.5.1, then on Shardwise through the kcl-adapter, each
 * with its own lease table. Both runs see the same records (sequence and sub-sequence numbers, the
 * aggregated flag, keys, arrival times, data), make the same checkpoints and leave the same
 * checkpoints in their lease table, both while running and after the shutdown checkpoint.
 */
@ShardwiseTest
@StreamShards(2)
class KclProcessorOnShardwiseIT {
    private static final Logger log = LoggerFactory.getLogger(KclProcessorOnShardwiseIT.class);
    private static final int RECORDS = 200;

    @Test
    void aKclProcessorRunsUnchangedOnShardwise(LocalEngines engines, TestStream stream, KinesisClient kinesis,
                                               LeaseTableName application) throws Exception {
        writeAggregatesAndPlainRecords(kinesis, stream.name());

        String kclApplication = application.value() + "-kcl";
        ProcessorJournal underKcl = new ProcessorJournal();
        Map<String, String> kclTableWhileRunning;
        try (KclWorker kcl = new KclWorker(engines, stream.name(), kclApplication, "kcl-worker",
                () -> new KclUserProcessor(underKcl))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> underKcl.sawAndFinished(RECORDS));
            kclTableWhileRunning = storedCheckpoints(engines.dynamoDbClient(), kclApplication);
        }

        String shardwiseApplication = application.value() + "-shardwise";
        ProcessorJournal onShardwise = new ProcessorJournal();
        Map<String, String> shardwiseTableWhileRunning;
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(shardwiseApplication)
                .streamName(stream.name()).kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("shardwise-worker")
                .initialPosition(InitialPosition.trimHorizon())
                .processorFactory(KclProcessors.adapt(() -> new KclUserProcessor(onShardwise)))
                .build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> onShardwise.sawAndFinished(RECORDS));
            shardwiseTableWhileRunning = storedCheckpoints(engines.dynamoDbClient(), shardwiseApplication);
        }

        log.info("Checkpoints under the KCL: {}; on Shardwise: {}", underKcl.checkpoints(), onShardwise.checkpoints());
        log.info("Stored while running: KCL {}, Shardwise {}", kclTableWhileRunning, shardwiseTableWhileRunning);
        log.info("Batches without millisBehindLatest: KCL {}, Shardwise {}", underKcl.nullLagBatches(),
                onShardwise.nullLagBatches());
        assertThat(underKcl.errors()).isEmpty();
        assertThat(onShardwise.errors()).isEmpty();
        assertThat(underKcl.records()).hasSize(2);
        assertThat(underKcl.records().values().stream().mapToInt(List::size).sum()).isEqualTo(RECORDS);
        assertThat(underKcl.records().values().stream().flatMap(List::stream))
                .anyMatch(r -> r.contains("aggregated=true")).anyMatch(r -> r.contains("aggregated=false"));
        assertThat(onShardwise.startedAt()).isEqualTo(underKcl.startedAt());
        assertThat(onShardwise.records()).isEqualTo(underKcl.records());
        assertThat(underKcl.checkpoints().values().stream().mapToInt(List::size).sum()).isGreaterThan(10);
        assertThat(onShardwise.checkpoints()).isEqualTo(underKcl.checkpoints());
        assertThat(onShardwise.nullLagBatches()).isZero();

        // Before the shutdown: the last checkpoint each shard's processor made at a record it chose.
        assertThat(kclTableWhileRunning).hasSize(2);
        assertThat(shardwiseTableWhileRunning).isEqualTo(kclTableWhileRunning);
        // After it: the checkpoint() of shutdownRequested, at the last record delivered.
        Map<String, String> kclTable = storedCheckpoints(engines.dynamoDbClient(), kclApplication);
        assertThat(kclTable).hasSize(2);
        assertThat(storedCheckpoints(engines.dynamoDbClient(), shardwiseApplication)).isEqualTo(kclTable);
    }

    /**
     * The end of a shard, on Shardwise alone: the KCL processor's {@code shardEnded} checkpoint()
     * stores SHARD_END for the parent, and its children are processed. The real KCL 3.5.1 does not
     * start on kinesis-mock after a split: its shard sync finds the parent's and a child's hash ranges
     * overlapping in the shard list kinesis-mock gives it ("Hash range of shards returned ... was
     * incomplete after 3 retries").
     */
    @Test
    void aKclProcessorEndsAShardOnShardwise(LocalEngines engines, TestStream stream, KinesisClient kinesis,
                                            LeaseTableName application) throws Exception {
        writeAggregatesAndPlainRecords(kinesis, stream.name(), 0, 10);
        Shard parent = Reshard.openShards(kinesis, stream.name()).get(0);
        Reshard.splitInHalf(kinesis, stream.name(), parent);
        writeAggregatesAndPlainRecords(kinesis, stream.name(), 10, 20);

        ProcessorJournal journal = new ProcessorJournal();
        Map<String, String> stored;
        try (ShardwiseConsumer consumer = ShardwiseConsumer.builder().applicationName(application.value())
                .streamName(stream.name()).kinesisClient(engines.kinesisAsyncClient())
                .dynamoDbClient(engines.dynamoDbClient()).workerId("shardwise-worker")
                .initialPosition(InitialPosition.trimHorizon())
                .processorFactory(KclProcessors.adapt(() -> new KclUserProcessor(journal)))
                .build()) {
            consumer.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> journal.sawAndFinished(RECORDS));
            stored = storedCheckpoints(engines.dynamoDbClient(), application.value());
        }

        assertThat(journal.errors()).isEmpty();
        assertThat(journal.checkpoints().get(parent.shardId())).last().isEqualTo("shard end");
        assertThat(stored.get(parent.shardId())).isEqualTo("SHARD_END/0");
        assertThat(journal.records()).hasSize(4);
        List<Integer> numbers = journal.records().values().stream().flatMap(List::stream)
                .map(r -> Integer.parseInt(r.substring(r.lastIndexOf(':') + 1))).sorted().toList();
        assertThat(numbers).containsExactlyElementsOf(java.util.stream.IntStream.range(0, RECORDS).boxed().toList());
    }

    /**
     * 200 user records "key:n" in write order: 15 KPL aggregates of 10 (one partition key each, so
     * every sub-record belongs to the aggregate's shard) and 50 plain records, interleaved.
     */
    private static void writeAggregatesAndPlainRecords(KinesisClient kinesis, String stream) {
        writeAggregatesAndPlainRecords(kinesis, stream, 0, 20);
    }

    /** Blocks {@code fromBlock..toBlock-1} of the 20 blocks of 10 records described above. */
    private static void writeAggregatesAndPlainRecords(KinesisClient kinesis, String stream, int fromBlock,
                                                       int toBlock) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        int n = fromBlock * 10;
        for (int block = fromBlock; block < toBlock; block++) {
            if (block % 4 != 3) {
                RecordAggregator aggregator = new RecordAggregator();
                String key = "agg-" + (block % 3);
                for (int i = 0; i < 10; i++, n++) {
                    assertThat(aggregator.tryAdd(key, null, payload(key, n))).isTrue();
                }
                KinesisRecord aggregate = aggregator.emit();
                entries.add(PutRecordsRequestEntry.builder().partitionKey(aggregate.partitionKey())
                        .explicitHashKey(aggregate.explicitHashKey())
                        .data(SdkBytes.fromByteArray(aggregate.data())).build());
            } else {
                for (int i = 0; i < 10; i++, n++) {
                    String key = "key-" + (n % 7);
                    entries.add(PutRecordsRequestEntry.builder().partitionKey(key)
                            .data(SdkBytes.fromByteArray(payload(key, n))).build());
                }
            }
        }
        PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
    }

    private static byte[] payload(String key, int n) {
        return (key + ":" + n).getBytes(StandardCharsets.UTF_8);
    }

    /** Each shard lease's stored checkpoint, "sequence/sub-sequence". */
    private static Map<String, String> storedCheckpoints(DynamoDbClient dynamo, String table) {
        Map<String, String> checkpoints = new TreeMap<>();
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true))
                .items()) {
            if (item.containsKey("checkpoint") && item.get("leaseKey").s().startsWith("shardId-")) {
                AttributeValue sub = item.get("checkpointSubSequenceNumber");
                checkpoints.put(item.get("leaseKey").s(), item.get("checkpoint").s() + "/" + (sub == null ? "-" : sub.n()));
            }
        }
        return checkpoints;
    }
}
