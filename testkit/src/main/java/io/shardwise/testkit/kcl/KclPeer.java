package io.shardwise.testkit.kcl;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * One worker of the real KCL 3.x on the endpoints of the clients it is given: polling, metrics off,
 * the lease table named after the application, everything else at the KCL's defaults unless the
 * {@link Builder} says otherwise. The KCL insists on a CloudWatch client; with metrics off it is never
 * called, so the one this worker makes points at a closed local port.
 *
 * <p>{@link #start()} runs the worker on a daemon thread, {@link #run()} on the caller's;
 * {@link #close()} shuts it down gracefully.
 */
public final class KclPeer implements AutoCloseable {
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");
    private static final long SHUTDOWN_SECONDS = 60;
    private static final long JOIN_MILLIS = 10_000;

    private final String workerId;
    private final Scheduler scheduler;
    private final CloudWatchAsyncClient cloudWatch;
    private Thread thread;

    private KclPeer(Builder builder) {
        workerId = builder.workerId;
        cloudWatch = CloudWatchAsyncClient.builder()
                .region(builder.kinesis.serviceClientConfiguration().region())
                .credentialsProvider(builder.kinesis.serviceClientConfiguration().credentialsProvider())
                .endpointOverride(NOWHERE)
                .build();
        ConfigsBuilder configs = new ConfigsBuilder(builder.tracker, builder.applicationName, builder.kinesis,
                builder.dynamoDb, cloudWatch, workerId, builder.processors);
        PollingConfig polling = builder.singleStream != null
                ? new PollingConfig(builder.singleStream, builder.kinesis)
                : new PollingConfig(builder.kinesis);
        if (builder.idleTimeBetweenReads != null) {
            polling.idleTimeBetweenReadsInMillis(builder.idleTimeBetweenReads.toMillis());
        }
        LeaseManagementConfig leases = configs.leaseManagementConfig();
        if (builder.failoverTime != null) {
            leases.failoverTimeMillis(builder.failoverTime.toMillis());
        }
        if (builder.shardSyncInterval != null) {
            leases.shardSyncIntervalMillis(builder.shardSyncInterval.toMillis());
        }
        scheduler = new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                leases,
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(polling));
    }

    /** A worker {@code workerId} of the application {@code applicationName} (also its lease table's name). */
    public static Builder builder(String applicationName, String workerId) {
        return new Builder(applicationName, workerId);
    }

    /** Runs the worker on the calling thread; returns when it stops (shut down, or it gave up). */
    public void run() {
        scheduler.run();
    }

    /** Runs the worker on a daemon thread named {@code kcl-<workerId>}. */
    public KclPeer start() {
        if (thread != null) {
            throw new IllegalStateException("KCL worker " + workerId + " was started already");
        }
        thread = new Thread(scheduler, "kcl-" + workerId);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Graceful shutdown: processors are asked to checkpoint and leases are released (up to 60 s), then
     * the worker stops. The clients it was given stay open.
     */
    @Override
    public void close() throws Exception {
        try {
            scheduler.startGracefulShutdown().get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } finally {
            scheduler.shutdown();
            if (thread != null) {
                thread.join(JOIN_MILLIS);
            }
            cloudWatch.close();
        }
    }

    /** What a {@link KclPeer} reads, with which clients and processors; the timings are optional. */
    public static final class Builder {
        private final String applicationName;
        private final String workerId;
        private KinesisAsyncClient kinesis;
        private DynamoDbAsyncClient dynamoDb;
        private StreamTracker tracker;
        private String singleStream;
        private ShardRecordProcessorFactory processors;
        private Duration idleTimeBetweenReads;
        private Duration failoverTime;
        private Duration shardSyncInterval;

        private Builder(String applicationName, String workerId) {
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            this.workerId = Objects.requireNonNull(workerId, "workerId");
        }

        /** The clients the worker calls; it does not close them. Required. */
        public Builder clients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb) {
            this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
            this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
            return this;
        }

        /** One stream, read from {@code position} on shards without a checkpoint. This or {@link #streams}. */
        public Builder stream(String streamName, InitialPositionInStream position) {
            this.tracker = new SingleStreamTracker(StreamIdentifier.singleStreamInstance(streamName),
                    InitialPositionInStreamExtended.newInitialPosition(position));
            this.singleStream = streamName;
            return this;
        }

        /** The streams {@code tracker} names: a multi-stream application when it is a {@code MultiStreamTracker}. */
        public Builder streams(StreamTracker tracker) {
            this.tracker = Objects.requireNonNull(tracker, "tracker");
            this.singleStream = null;
            return this;
        }

        /** Makes the processor of each shard. Required. */
        public Builder processors(ShardRecordProcessorFactory processors) {
            this.processors = Objects.requireNonNull(processors, "processors");
            return this;
        }

        /** The pause of a shard's poller between two GetRecords calls (default: the KCL's). */
        public Builder idleTimeBetweenReads(Duration idle) {
            this.idleTimeBetweenReads = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /** How long a lease may go unrenewed before another worker takes it (default: the KCL's). */
        public Builder failoverTime(Duration failoverTime) {
            this.failoverTime = Objects.requireNonNull(failoverTime, "failoverTime");
            return this;
        }

        /** How often the worker lists the shards to find new ones (default: the KCL's). */
        public Builder shardSyncInterval(Duration interval) {
            this.shardSyncInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** The worker, not running yet. */
        public KclPeer build() {
            require(kinesis, "clients(kinesis, dynamoDb)");
            require(tracker, "stream(name, position) or streams(tracker)");
            require(processors, "processors(factory)");
            return new KclPeer(this);
        }

        private void require(Object value, String call) {
            if (value == null) {
                throw new IllegalStateException("KCL worker " + workerId + " of " + applicationName
                        + " needs " + call + " before build()");
            }
        }
    }
}
