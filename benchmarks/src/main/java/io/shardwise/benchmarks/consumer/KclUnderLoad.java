package io.shardwise.benchmarks.consumer;

import io.shardwise.testkit.engines.LocalEngines;
import io.shardwise.testkit.kcl.CheckpointingShardRecordProcessor;
import io.shardwise.testkit.kcl.KclPeer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/** The real KCL 3.5.1 at default settings (polling, metrics off) under the same load, for comparison. */
final class KclUnderLoad {
    private KclUnderLoad() {
    }

    static void latencyAndWrites(LocalEngines engines, int seconds, int shards, int rate) throws Exception {
        String stream = engines.uniqueName("bench-kcl");
        engines.createStream(stream, shards);
        String app = engines.uniqueName("bench-kcl-app");
        WriteCounter writes = new WriteCounter(app);
        Latencies latencies = new Latencies();
        Map<String, Long> lastByShard = new ConcurrentHashMap<>();
        try (DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().endpointOverride(engines.dynamoDbEndpoint())
                .region(engines.region()).credentialsProvider(engines.credentials())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(writes).build())
                .build();
             TimedWriter writer = new TimedWriter(engines.kinesisClient(), stream, rate);
             KclPeer kcl = KclPeer.builder(app, "kcl-1", () -> new Processor(latencies, lastByShard))
                     .clients(engines.kinesisAsyncClient(), dynamo).stream(stream, InitialPositionInStream.LATEST)
                     .build()) {
            long startedAt = System.nanoTime();
            kcl.start();
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline && lastByShard.size() < shards) {
                Thread.sleep(200);
            }
            System.out.printf("FIGURE kcl start to all %d shards processing (1 worker): %d ms%n", shards,
                    (System.nanoTime() - startedAt) / 1_000_000);
            double minutes = MeasurementWindow.run(writes, latencies, seconds);
            System.out.println("FIGURE kcl polling latency (send to process): " + latencies.summary());
            System.out.printf("FIGURE kcl lease-table writes per lease per minute: %.1f (%d leases on 1 worker)%n",
                    writes.total() / minutes / shards, shards);
        }
    }

    /** Records each record's latency, checkpoints at the usual cadence. */
    private static final class Processor extends CheckpointingShardRecordProcessor {
        private final Latencies latencies;
        private final Map<String, Long> lastByShard;

        Processor(Latencies latencies, Map<String, Long> lastByShard) {
            this.latencies = latencies;
            this.lastByShard = lastByShard;
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            for (KinesisClientRecord r : input.records()) {
                ByteBuffer data = r.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                latencies.record(TimedWriter.sentAt(bytes));
                lastByShard.put(shardId(), System.currentTimeMillis());
            }
            checkpointEvery(CheckpointingRecordProcessor.INTERVAL, input.checkpointer());
        }
    }
}
