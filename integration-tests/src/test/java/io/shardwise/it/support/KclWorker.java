package io.shardwise.it.support;

import io.shardwise.testkit.engines.LocalEngines;

import io.shardwise.consumer.StreamConfig;
import java.net.URI;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.MultiStreamTracker;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * A worker of the real KCL 3.5.1 on the local engines: polling, metrics off, lease table named after
 * the application (the KCL's default), and intervals shortened so a test does not wait a minute.
 */
public final class KclWorker implements AutoCloseable {
    private final Scheduler scheduler;
    private final Thread thread;
    private final CloudWatchAsyncClient cloudWatch;

    public KclWorker(LocalEngines engines, String streamName, String applicationName, String workerId,
                     ShardRecordProcessorFactory processors) {
        this(engines, new SingleStreamTracker(StreamIdentifier.singleStreamInstance(streamName),
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                new PollingConfig(streamName, engines.kinesisAsyncClient()), applicationName, workerId, processors);
    }

    /** A worker of the streams {@code tracker} names: a multi-stream application when it is a {@code MultiStreamTracker}. */
    public KclWorker(LocalEngines engines, StreamTracker tracker, String applicationName, String workerId,
                     ShardRecordProcessorFactory processors) {
        this(engines, tracker, new PollingConfig(engines.kinesisAsyncClient()), applicationName, workerId, processors);
    }

    private KclWorker(LocalEngines engines, StreamTracker tracker, PollingConfig polling, String applicationName,
                      String workerId, ShardRecordProcessorFactory processors) {
        // Metrics are off, so CloudWatch is never called; the KCL still wants a client.
        cloudWatch = CloudWatchAsyncClient.builder()
                .region(engines.region())
                .credentialsProvider(engines.credentials())
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .build();
        ConfigsBuilder configs = new ConfigsBuilder(tracker, applicationName, engines.kinesisAsyncClient(),
                engines.dynamoDbAsyncClient(), cloudWatch, workerId, processors);
        polling.idleTimeBetweenReadsInMillis(200);
        scheduler = new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                configs.leaseManagementConfig().failoverTimeMillis(Duration.ofSeconds(5).toMillis())
                        .shardSyncIntervalMillis(2_000),
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE),
                configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(polling));
        thread = new Thread(scheduler, "kcl-" + workerId);
        thread.setDaemon(true);
        thread.start();
    }

    /** Graceful shutdown: processors are asked to checkpoint, leases are released. */
    @Override
    public void close() throws Exception {
        try {
            scheduler.startGracefulShutdown().get(60, TimeUnit.SECONDS);
        } finally {
            scheduler.shutdown();
            thread.join(10_000);
            cloudWatch.close();
        }
    }

    /** The KCL's own multi-stream tracker over Shardwise stream configs (by ARN and creation epoch), from TRIM_HORIZON. */
    public static MultiStreamTracker multiStreamTracker(List<StreamConfig> configs) {
        List<software.amazon.kinesis.common.StreamConfig> kclConfigs = configs.stream()
                .map(c -> new software.amazon.kinesis.common.StreamConfig(
                        software.amazon.kinesis.common.StreamIdentifier.multiStreamInstance(
                                Arn.fromString(c.streamArn()), c.streamIdentifier().creationEpoch()),
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)))
                .toList();
        return new MultiStreamTracker() {
            @Override
            public List<software.amazon.kinesis.common.StreamConfig> streamConfigList() {
                return kclConfigs;
            }

            @Override
            public FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
                return new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy();
            }
        };
    }
}
