package io.shardwise.testkit.kcl;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
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
        LeaseManagementConfig leases = configs.leaseManagementConfig();
        CoordinatorConfig coordinator = configs.coordinatorConfig();
        Timings timings = builder.timings;
        inMillis(timings.idleTimeBetweenReads(), polling::idleTimeBetweenReadsInMillis);
        inMillis(timings.failoverTime(), leases::failoverTimeMillis);
        inMillis(timings.shardSyncInterval(), leases::shardSyncIntervalMillis);
        inMillis(timings.leaseAssignmentInterval(), leases::leaseAssignmentIntervalMillis);
        inMillis(timings.dispatchPollInterval(), coordinator::shardConsumerDispatchPollIntervalMillis);
        inMillis(timings.parentShardPollInterval(), coordinator::parentShardPollIntervalMillis);
        scheduler = new Scheduler(
                configs.checkpointConfig(),
                coordinator,
                leases,
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(polling));
    }

    /** Sets a KCL timing given in milliseconds, unless {@code timing} is null (the KCL's default stays). */
    private static void inMillis(Duration timing, LongConsumer setting) {
        if (timing != null) {
            setting.accept(timing.toMillis());
        }
    }

    /**
     * A worker {@code workerId} of the application {@code applicationName} (also its lease table's name)
     * whose shards are processed by what {@code processors} makes.
     */
    public static Builder builder(String applicationName, String workerId, ShardRecordProcessorFactory processors) {
        return new Builder(applicationName, workerId, processors);
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

    /**
     * Timings that differ from the KCL's defaults; a {@code null} keeps the default.
     *
     * <p>Some start-up waits of the KCL 3.5.1 cannot be shortened: it polls for its lease table's
     * {@code LeaseOwnerToLeaseKeyIndex} to become active every 10 s, and, on an empty lease table, waits a
     * random 1 to 30 s (checking every 3 s) before it lists the shards and creates their leases.
     *
     * @param idleTimeBetweenReads the pause of a shard's poller between two GetRecords calls
     * @param failoverTime how long a lease may go unrenewed before another worker takes it
     * @param shardSyncInterval how often the worker lists the shards to find new ones; also the pause after
     *        the shard sync of its start-up
     * @param leaseAssignmentInterval how often the leader assigns unowned and expired leases to workers
     *        (the KCL: twice the failover time)
     * @param dispatchPollInterval the pause of the worker's loop that moves each shard's processor through
     *        its life (initialize, process, shut down); start-up and a graceful shutdown take a few rounds
     * @param parentShardPollInterval how long a child shard waits before it looks again whether its
     *        parents are finished
     */
    public record Timings(Duration idleTimeBetweenReads, Duration failoverTime, Duration shardSyncInterval,
                          Duration leaseAssignmentInterval, Duration dispatchPollInterval,
                          Duration parentShardPollInterval) {
        /** The KCL's defaults throughout. */
        public static final Timings DEFAULTS = new Timings(null, null, null, null, null, null);
    }

    /** What a {@link KclPeer} reads and with which clients; {@link #clients} and one of {@link #stream}, {@link #streams} are required. */
    public static final class Builder {
        private final String applicationName;
        private final String workerId;
        private final ShardRecordProcessorFactory processors;
        private KinesisAsyncClient kinesis;
        private DynamoDbAsyncClient dynamoDb;
        private StreamTracker tracker;
        private String singleStream;
        private Timings timings = Timings.DEFAULTS;

        private Builder(String applicationName, String workerId, ShardRecordProcessorFactory processors) {
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            this.workerId = Objects.requireNonNull(workerId, "workerId");
            this.processors = Objects.requireNonNull(processors, "processors");
        }

        /** The clients the worker calls; it does not close them. */
        public Builder clients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb) {
            this.kinesis = kinesis;
            this.dynamoDb = dynamoDb;
            return this;
        }

        /** One stream, read from {@code position} on shards without a checkpoint. */
        public Builder stream(String streamName, InitialPositionInStream position) {
            this.tracker = new SingleStreamTracker(StreamIdentifier.singleStreamInstance(streamName),
                    InitialPositionInStreamExtended.newInitialPosition(position));
            this.singleStream = streamName;
            return this;
        }

        /** The streams {@code tracker} names: a multi-stream application when it is a {@code MultiStreamTracker}. */
        public Builder streams(StreamTracker tracker) {
            this.tracker = tracker;
            this.singleStream = null;
            return this;
        }

        /** Timings other than the KCL's defaults (tests shorten them so they do not wait a minute); null: none. */
        public Builder timings(Timings timings) {
            this.timings = timings == null ? Timings.DEFAULTS : timings;
            return this;
        }

        /** The worker, not running yet. */
        public KclPeer build() {
            require(kinesis, "a Kinesis client: clients(kinesis, dynamoDb)");
            require(dynamoDb, "a DynamoDB client: clients(kinesis, dynamoDb)");
            require(tracker, "streams: stream(name, position) or streams(tracker)");
            return new KclPeer(this);
        }

        private void require(Object value, String what) {
            if (value == null) {
                throw new IllegalStateException("KCL worker " + workerId + " of " + applicationName + " needs "
                        + what + ", before build()");
            }
        }
    }
}
