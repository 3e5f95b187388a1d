package io.shardwise.benchmarks.consumer;

import io.shardwise.testkit.engines.LocalEngines;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** The real KCL 3.5.1 at default settings (polling, metrics off) under the same load, for comparison. */
final class KclPeer {
    private KclPeer() {
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
             CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().region(engines.region())
                     .credentialsProvider(engines.credentials()).endpointOverride(URI.create("http://127.0.0.1:9"))
                     .build();
             TimedWriter writer = new TimedWriter(engines.kinesisClient(), stream, rate)) {
            SingleStreamTracker tracker = new SingleStreamTracker(StreamIdentifier.singleStreamInstance(stream),
                    InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.LATEST));
            ConfigsBuilder configs = new ConfigsBuilder(tracker, app, engines.kinesisAsyncClient(), dynamo, cloudWatch,
                    "kcl-1", () -> new Processor(latencies, lastByShard));
            Scheduler scheduler = new Scheduler(configs.checkpointConfig(), configs.coordinatorConfig(),
                    configs.leaseManagementConfig(), configs.lifecycleConfig(),
                    configs.metricsConfig().metricsLevel(MetricsLevel.NONE), configs.processorConfig(),
                    configs.retrievalConfig().retrievalSpecificConfig(
                            new PollingConfig(stream, engines.kinesisAsyncClient())));
            Thread thread = new Thread(scheduler, "kcl");
            thread.setDaemon(true);
            long startedAt = System.nanoTime();
            thread.start();
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
            scheduler.startGracefulShutdown().get(60, TimeUnit.SECONDS);
            scheduler.shutdown();
        }
    }

    private static final class Processor implements ShardRecordProcessor {
        private final Latencies latencies;
        private final Map<String, Long> lastByShard;
        private String shardId;
        private long lastCheckpoint = System.nanoTime();

        Processor(Latencies latencies, Map<String, Long> lastByShard) {
            this.latencies = latencies;
            this.lastByShard = lastByShard;
        }

        @Override
        public void initialize(InitializationInput input) {
            shardId = input.shardId();
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            for (KinesisClientRecord r : input.records()) {
                ByteBuffer data = r.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                latencies.record(TimedWriter.sentAt(bytes));
                lastByShard.put(shardId, System.currentTimeMillis());
            }
            if (System.nanoTime() - lastCheckpoint > TimeUnit.SECONDS.toNanos(10)) {
                try {
                    input.checkpointer().checkpoint();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                lastCheckpoint = System.nanoTime();
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            try {
                input.checkpointer().checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            try {
                input.checkpointer().checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
