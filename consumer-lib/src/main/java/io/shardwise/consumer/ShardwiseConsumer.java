package io.shardwise.consumer;

import static io.shardwise.kinesis.OptionChecks.require;
import static io.shardwise.kinesis.OptionChecks.requirePositive;

import io.micrometer.core.instrument.MeterRegistry;
import io.shardwise.kinesis.AwsClients;
import io.shardwise.kinesis.StreamReference;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

/**
 * A Kinesis stream consumer in the role of the KCL: leases and checkpoints in a DynamoDB table in
 * the KCL's schema, one processor per shard, parents before children after resharding, failover in
 * seconds.
 *
 * <pre>{@code
 * try (ShardwiseConsumer consumer = ShardwiseConsumer.builder()
 *         .applicationName("orders-app")
 *         .streamName("orders")
 *         .region(Region.EU_WEST_1)
 *         .recordHandler(record -> System.out.println(record.partitionKey()))
 *         .build()) {
 *     consumer.start();
 *     Thread.sleep(Long.MAX_VALUE);
 * }
 * }</pre>
 *
 * <p>One consumer can also process several streams with one lease table: give a {@link StreamTracker}
 * ({@link Builder#streamTracker}) instead of a stream; lease keys then take the KCL's multi-stream
 * form {@code account:streamName:creationEpoch:shardId} ({@link MultiStreamLeaseKey}).
 *
 * <h2>Leases, liveness and the KCL's table</h2>
 * Shard items keep the KCL's attribute names and meanings ({@code leaseKey}, {@code leaseOwner},
 * {@code leaseCounter}, {@code checkpoint}, {@code checkpointSubSequenceNumber}, {@code parentShardId},
 * {@code childShardIds}, {@code pendingCheckpoint*}, ...), so a table written by the KCL is read as
 * is and the KCL can read one written here. What differs is how liveness is proven: the KCL bumps
 * every lease's counter every few seconds; a Shardwise worker instead bumps one liveness item per
 * heartbeat, whatever the number of its leases, in a table of its own ({@code <lease table>-ShardwiseWorkers},
 * created beside the lease table, hash key {@code workerId}), and bumps a lease's counter only when
 * it takes, checkpoints, hands over or releases it. Every write to a lease stays conditional on its
 * counter, so fencing is as strict as in the KCL. The lease table holds only leases.
 * <ul>
 * <li>A lease whose owner has a liveness item is expired when that item's counter has not moved
 * for the failover time; a lease whose owner has none (a KCL worker) when its own counter has not
 * moved for the failover time, exactly as the KCL decides.</li>
 * <li>The two fleets must not run on one table at once: KCL workers would see Shardwise leases as
 * expired (their counters do not move) and take them. Migration is stop one fleet, start the other.
 * From the KCL: stop it (graceful or not); Shardwise resumes from its checkpoints, at once for
 * released leases and after the failover time for the others. To the KCL: stop the Shardwise
 * workers (a graceful close releases every lease; after a crash the KCL takes the leases once they
 * expire); the lease table holds nothing the KCL cannot read as a lease. The worker table can be
 * deleted afterwards.</li>
 * <li>Earlier Shardwise versions kept the liveness items in the lease table
 * ({@code leaseKey = "__worker__#<workerId>"}). They are still honoured, so a rolling upgrade never
 * sees a live old-version worker as dead, and deleted once their worker is dead for 20 failover
 * times.</li>
 * <li>A Shardwise-only attribute, {@code shardwiseHandoffTo}, asks a live owner to hand a lease over
 * during rebalancing; the KCL ignores it. Liveness items also carry {@code throughput} (recent
 * bytes per second per held lease) for throughput-weighted balancing.</li>
 * </ul>
 *
 * <p>This file is over 400 lines for one reason: its public {@link Builder}, whose documented
 * options are most of it (as {@code KinesisProducer}'s). The work happens in {@link LeaseCoordinator},
 * {@link ShardWorker} and {@link WorkerLiveness}.
 */
public final class ShardwiseConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardwiseConsumer.class);

    private final ConsumerSettings settings;
    private final KinesisAsyncClient kinesis;
    private final DynamoDbClient dynamo;
    private final boolean ownsClients;
    private final ConsumerMetrics metrics;
    private final RecordProcessorFactory processors;
    private final LeaseTable table;
    private final WorkerTable workers;
    private final StreamTracker streamTracker;
    private final Duration streamTrackerPollInterval;
    private LeaseCoordinator coordinator;
    private volatile LeaseSync shardSync;
    private MultiStreamSync multiStream;
    private WorkerLiveness liveness;
    private boolean started;
    private boolean closed;

    private ShardwiseConsumer(Builder b, ConsumerSettings settings, KinesisAsyncClient kinesis, DynamoDbClient dynamo,
                              boolean ownsClients) {
        this.settings = settings;
        this.kinesis = kinesis;
        this.dynamo = dynamo;
        this.ownsClients = ownsClients;
        this.metrics = b.meterRegistry == null ? ConsumerMetrics.NONE
                : b.metricsNames == MetricsNames.KCL ? b.kclMetrics(settings.workerId())
                : new MicrometerMetrics(b.meterRegistry, settings.applicationName());
        this.processors = b.processors;
        this.streamTracker = b.streamTracker;
        this.streamTrackerPollInterval = b.streamTrackerPollInterval;
        this.table = new LeaseTable(dynamo, settings.tableName(), settings.dynamoCallTimeout(), metrics);
        this.workers = new WorkerTable(dynamo, workerTableNameFor(settings.tableName()), settings.dynamoCallTimeout(),
                metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How the name of a worker table ends: {@code <lease table>-ShardwiseWorkers}. */
    public static final String WORKER_TABLE_SUFFIX = "-ShardwiseWorkers";

    /**
     * The table where the workers of the application whose lease table is {@code leaseTableName}
     * keep their liveness items (created on start beside the lease table; grant the consumer the
     * same DynamoDB permissions on both, and delete both when you remove the application).
     */
    public static String workerTableNameFor(String leaseTableName) {
        return leaseTableName + WORKER_TABLE_SUFFIX;
    }

    /** The options this consumer runs with. */
    ConsumerSettings settings() {
        return settings;
    }

    /** This worker's id in the lease table. */
    public String workerId() {
        return settings.workerId();
    }

    /**
     * The hash key ranges that the stream's open shards (per ListShards) left uncovered at this
     * worker's last shard sync: empty when the stream is consistent. Missing leases are not holes
     * here: shard sync creates them (see {@code ShardSync}).
     */
    public List<io.shardwise.aggregation.HashKeyRange> uncoveredHashKeyRanges() {
        LeaseSync sync = shardSync;
        return sync == null ? List.of() : sync.streamHoles();
    }

    /**
     * The streams a multi-stream consumer tracks now (as of the last poll of its {@link StreamTracker});
     * empty for a single-stream consumer.
     */
    public Set<StreamIdentifier> trackedStreams() {
        MultiStreamSync multi = multiStream;
        return multi == null ? Set.of() : multi.trackedStreams();
    }

    /** The clients this consumer uses (for tests of how the builder made them). */
    KinesisAsyncClient kinesisClient() {
        return kinesis;
    }

    DynamoDbClient dynamoDbClient() {
        return dynamo;
    }

    /** The lease keys this worker processes right now (shard ids; {@code account:stream:epoch:shardId} in multi-stream mode). */
    public Set<String> heldShards() {
        return coordinator == null ? Set.of() : coordinator.heldShards();
    }

    /**
     * Creates the lease table and the worker table when missing, writes the first heartbeat, creates
     * leases for the stream's shards, and starts taking leases. Returns once the worker runs.
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("consumer " + settings.workerId() + " was already started");
        }
        started = true;
        table.createIfMissing();
        workers.createIfMissing();
        LeaseSync sync;
        if (streamTracker != null) {
            multiStream = new MultiStreamSync(kinesis, table, streamTracker, streamTrackerPollInterval,
                    config -> retrievers(config.ref(), config.initialPosition()), settings.workerId(), metrics);
            multiStream.poll();
            sync = multiStream;
        } else {
            sync = new ShardSync(kinesis, StreamScope.single(settings.stream(), settings.initialPosition(),
                    retrievers(settings.stream(), settings.initialPosition())), table, metrics);
        }
        shardSync = sync;
        coordinator = new LeaseCoordinator(settings.leases(), settings.shards(), table, workers, sync, metrics,
                processors);
        liveness = new WorkerLiveness(workers, settings.leases(), coordinator::stopAllShards,
                coordinator::recentThroughput);
        liveness.start();
        coordinator.start(liveness);
        if (multiStream != null) {
            multiStream.start(coordinator);
        }
        log.info("Consumer {} started on {} with lease table {}", settings.workerId(), multiStream != null
                ? "streams " + multiStream.trackedStreams() : settings.stream().label(), settings.tableName());
    }

    private RetrieverFactory retrievers(StreamReference stream, InitialPosition initialPosition) {
        if (settings.retrievalMode() == RetrievalMode.FAN_OUT) {
            FanOutRegistration registration = new FanOutRegistration(kinesis, stream, settings.fanOutConsumerName());
            return (shardId, start, stop) -> new FanOutRetriever(registration,
                    new ReadStart(shardId, start, initialPosition.timestamp()), stop);
        }
        return (shardId, start, stop) -> new PollingRetriever(kinesis, stream,
                new ReadStart(shardId, start, initialPosition.timestamp()), settings.polling(), stop);
    }

    /**
     * Graceful stop, in the only order that hands leases over without a duplicate: no more leases
     * are taken; each processor gets shutdownRequested and may checkpoint (bounded by the shutdown
     * timeout); each lease is then released with a conditional write, so another worker takes it
     * within one take interval, from the final checkpoint. Only then does the heartbeat stop and the
     * liveness item go: while it beats, no other worker may see this one's leases as expired.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (multiStream != null) {
                multiStream.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
            if (liveness != null) {
                liveness.close();
                try {
                    workers.delete(settings.workerId());
                } catch (RuntimeException e) {
                    log.warn("Could not delete the liveness item of {}: {}", settings.workerId(), e.toString());
                }
            }
        } finally {
            if (ownsClients) {
                kinesis.close();
                dynamo.close();
            }
        }
        log.info("Consumer {} closed", settings.workerId());
    }

    /** Builds a consumer; only the application, the stream and the processor are required. */
    public static final class Builder {
        private String applicationName;
        private String tableName;
        private String streamName;
        private String streamArn;
        private KinesisAsyncClient kinesis;
        private DynamoDbClient dynamo;
        private Region region;
        private URI kinesisEndpoint;
        private URI dynamoDbEndpoint;
        private java.util.function.Consumer<KinesisAsyncClientBuilder> kinesisCustomizer = b -> { };
        private AwsCredentialsProvider credentials;
        private String workerId;
        private InitialPosition initialPosition = InitialPosition.latest();
        private RetrievalMode retrievalMode = RetrievalMode.POLLING;
        private String fanOutConsumerName;
        private RecordProcessorFactory processors;
        private Duration failoverTime = Duration.ofMillis(3500);
        private Duration heartbeatInterval;
        private Duration takeInterval;
        private Duration shardSyncInterval = Duration.ofSeconds(60);
        private Duration leaseScanInterval = Duration.ofSeconds(30);
        private int maxStealsPerRound = 1;
        private Duration pollInterval = Duration.ofMillis(200);
        private int maxProcessingAttempts = Integer.MAX_VALUE;
        private FailurePolicy failurePolicy = FailurePolicy.RETRY_FOREVER;
        private PoisonBatchHandler poisonHandler;
        private ShardFailureListener failureListener = (shard, e) -> { };
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private boolean deliverOutsideShardRange;
        private MeterRegistry meterRegistry;
        private MetricsNames metricsNames = MetricsNames.SHARDWISE;
        private MetricsLevel metricsLevel = MetricsLevel.DETAILED;
        private int maxRecords = 10_000;
        private StreamTracker streamTracker;
        private Duration streamTrackerPollInterval = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Required: names the application; also the default lease table name. */
        public Builder applicationName(String name) {
            this.applicationName = name;
            return this;
        }

        /** Lease table name; defaults to the application name (as the KCL does). */
        public Builder tableName(String name) {
            this.tableName = name;
            return this;
        }

        /**
         * The stream's name, or its ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}; the clients
         * the consumer builds then go to that region unless {@link #region} says otherwise). Required
         * unless a {@link #streamTracker} names the streams.
         */
        public Builder stream(String nameOrArn) {
            StreamReference parsed = StreamReference.parse(nameOrArn);
            this.streamName = parsed.arn() == null ? parsed.name() : null;
            this.streamArn = parsed.arn();
            return this;
        }

        /** @deprecated use {@link #stream}, which takes a name or an ARN, as the producer's builder does. */
        @Deprecated
        public Builder streamName(String name) {
            this.streamName = name;
            return this;
        }

        /** @deprecated use {@link #stream}, which takes a name or an ARN, as the producer's builder does. */
        @Deprecated
        public Builder streamArn(String arn) {
            this.streamArn = arn;
            return this;
        }

        /**
         * The Kinesis client (Netty; for fan-out it must speak HTTP/2). Not closed by the consumer. The
         * consumer retries every call itself: build the client with {@code AwsRetryStrategy.doNotRetry()}
         * so the SDK's retries do not stack under the consumer's (the clients it builds do so).
         */
        public Builder kinesisClient(KinesisAsyncClient client) {
            this.kinesis = client;
            return this;
        }

        /**
         * The DynamoDB client for the lease table. Not closed by the consumer. As for the Kinesis
         * client, give it {@code AwsRetryStrategy.doNotRetry()}: the consumer retries with backoff.
         */
        public Builder dynamoDbClient(DynamoDbClient client) {
            this.dynamo = client;
            return this;
        }

        /** Region of the clients the consumer builds itself when none are given. */
        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        public Builder kinesisEndpoint(URI endpoint) {
            this.kinesisEndpoint = endpoint;
            return this;
        }

        public Builder dynamoDbEndpoint(URI endpoint) {
            this.dynamoDbEndpoint = endpoint;
            return this;
        }

        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentials = provider;
            return this;
        }

        /**
         * Customizes the builder of the Kinesis client the consumer builds (a proxy through an HTTP
         * client builder, interceptors, a credentials provider), as the producer's builder does. Runs
         * after region, endpoint and credentials are applied; the SDK's retries are turned off after it.
         */
        public Builder customizeKinesisClient(java.util.function.Consumer<KinesisAsyncClientBuilder> customizer) {
            this.kinesisCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Unique per worker process; defaults to host name, process id and a random suffix. */
        public Builder workerId(String id) {
            this.workerId = id;
            return this;
        }

        /** Where shards without a checkpoint start; default LATEST, as the KCL. */
        public Builder initialPosition(InitialPosition position) {
            this.initialPosition = Objects.requireNonNull(position, "position");
            return this;
        }

        public Builder retrievalMode(RetrievalMode mode) {
            this.retrievalMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Name of the enhanced fan-out consumer to register; defaults to the application name. */
        public Builder fanOutConsumerName(String name) {
            this.fanOutConsumerName = name;
            return this;
        }

        /** The processor life cycle, one processor per shard. */
        public Builder processorFactory(RecordProcessorFactory factory) {
            this.processors = factory;
            return this;
        }

        /** The simple form: a handler per record, with a checkpoint after each processed batch. */
        public Builder recordHandler(RecordHandler handler) {
            Objects.requireNonNull(handler, "handler");
            this.processors = shardId -> new HandlerProcessor(handler);
            return this;
        }

        /**
         * How long a dead worker's shards wait before others take them (default 3.5 s). The heartbeat
         * interval defaults to two thirds of it, the take interval (a table scan, reads only) to a
         * sixth, and a worker stops its own shards when its last successful heartbeat started more
         * than seven eighths of it ago (see {@code WorkerLiveness}).
         */
        public Builder failoverTime(Duration time) {
            this.failoverTime = time;
            return this;
        }

        /** Period of the liveness write (default two thirds of the failover time). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * Period of the lease round (default a sixth of the failover time). Every round reads the
         * worker table (one small item per worker) to see who is alive; the lease table is scanned
         * only when that shows a change (a worker joined, left or died, leases were created or
         * finished, balancing is under way); the syncer also scans every {@link #leaseScanInterval}.
         */
        public Builder takeInterval(Duration interval) {
            this.takeInterval = interval;
            return this;
        }

        /** How often the worker that syncs shards (the live worker with the least id) lists them (default 60 s). */
        public Builder shardSyncInterval(Duration interval) {
            this.shardSyncInterval = interval;
            return this;
        }

        /**
         * How often the syncer (the live worker with the least id) scans the lease table while
         * nothing calls for a scan (default 30 s), as a safety net for the fleet: it announces what
         * only the table shows, such as a free lease written by another tool, and the other
         * workers scan then. A worker whose load trails a busier worker's also scans this often.
         */
        public Builder leaseScanInterval(Duration interval) {
            this.leaseScanInterval = interval;
            return this;
        }

        /** At most this many leases are asked from other workers per round (default 1). */
        public Builder maxStealsPerRound(int max) {
            this.maxStealsPerRound = max;
            return this;
        }

        /** Polling: time between GetRecords calls when caught up (>= 200 ms: 5 calls/s per shard). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        /** After this many failed attempts at one batch the policy applies (default: retry forever). */
        public Builder failurePolicy(FailurePolicy policy, int maxProcessingAttempts) {
            this.failurePolicy = Objects.requireNonNull(policy, "policy");
            this.maxProcessingAttempts = maxProcessingAttempts;
            return this;
        }

        public Builder poisonBatchHandler(PoisonBatchHandler handler) {
            this.poisonHandler = handler;
            return this;
        }

        public Builder shardFailureListener(ShardFailureListener listener) {
            this.failureListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How long close() waits for processors to checkpoint and leases to be released. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Whether sub-records of a KPL aggregate whose hash key lies outside the shard's range are
         * delivered. Default false, as the KCL: such a record was aggregated with a stale shard map,
         * and the KPL and Shardwise's producer re-send it to the right shard, so delivering it too
         * would deliver it twice. Set true only for producers that never re-send (the npm
         * aggregator, kinesis-aggregation), where dropping it would lose it. Either way each one is
         * counted ({@code shardwise.consumer.records.outside.shard.range}) and logged.
         */
        public Builder deliverRecordsOutsideShardRange(boolean deliver) {
            this.deliverOutsideShardRange = deliver;
            return this;
        }

        /**
         * Multi-stream mode (instead of {@code streamName}/{@code streamArn}): one consumer, one lease
         * table, the streams the tracker returns, each with its own initial position. Lease keys take
         * the KCL 2.3+ / 3.x multi-stream form {@code account:streamName:creationEpoch:shardId}, so
         * a KCL multi-stream application's table is read as is. The tracker is polled on start and
         * every {@link #streamTrackerPollInterval(Duration)}; {@code initialPosition} is not used.
         */
        public Builder streamTracker(StreamTracker tracker) {
            this.streamTracker = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** How often a multi-stream consumer polls its {@link StreamTracker} (default 60 s). */
        public Builder streamTrackerPollInterval(Duration interval) {
            this.streamTrackerPollInterval = interval;
            return this;
        }

        /** Micrometer registry for the consumer's metrics; none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The names the metrics are published under: {@link MetricsNames#SHARDWISE} (default) or the KCL's
         * ({@link MetricsNames#KCL}, with {@link #metricsLevel}).
         */
        public Builder metricsNames(MetricsNames names) {
            this.metricsNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /** With KCL names: which metrics, as the KCL's metricsLevel. Default: DETAILED (all). */
        public Builder metricsLevel(MetricsLevel level) {
            this.metricsLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Polling: the most records one GetRecords call returns (1 .. 10000, the Kinesis limit; default 10000). */
        public Builder maxRecords(int max) {
            this.maxRecords = max;
            return this;
        }

        /**
         * Applies a KCL multilang properties file (the keys of the KCL's {@code MultiLangDaemon} configuration):
         * applicationName, streamName, streamArn, tableName, workerId, initialPositionInStream,
         * initialPositionInStreamExtended, regionName, kinesisEndpoint, dynamoDBEndpoint, failoverTimeMillis,
         * shardSyncIntervalMillis, maxRecords, idleTimeBetweenReadsInMillis, maxLeasesToStealAtOneTime,
         * retrievalMode, shutdownGraceMillis and metricsLevel (which selects the KCL's metric names for the
         * registry given with {@link #meterRegistry}). A value the KCL would not take, or one outside
         * Shardwise's range, is refused with an {@link IllegalArgumentException} naming key, value and range.
         * Keys with no equivalent are logged at WARN with the reason. Options set after this call override the file.
         */
        public Builder properties(java.util.Properties kclConfiguration) {
            KclProperties.apply(kclConfiguration, this).forEach((key, reason) ->
                    log.warn("KCL property {} is not applied: {}", key, reason));
            return this;
        }

        MetricsNames metricsNames() {
            return metricsNames;
        }

        Region region() {
            return region;
        }

        URI kinesisEndpoint() {
            return kinesisEndpoint;
        }

        URI dynamoDbEndpoint() {
            return dynamoDbEndpoint;
        }

        MetricsLevel metricsLevel() {
            return metricsLevel;
        }

        private ConsumerMetrics kclMetrics(String worker) {
            return metricsLevel == MetricsLevel.NONE ? ConsumerMetrics.NONE
                    : new KclConsumerMetrics(meterRegistry, worker, metricsLevel);
        }

        public ShardwiseConsumer build() {
            present(applicationName, "applicationName");
            present(processors, "processorFactory or recordHandler");
            checkOptions();
            int streamChoices = (streamName != null ? 1 : 0) + (streamArn != null ? 1 : 0) + (streamTracker != null ? 1 : 0);
            if (streamChoices != 1) {
                throw new IllegalArgumentException("give the stream (stream(nameOrArn)) or a streamTracker, exactly one;"
                        + " gave " + streamChoices);
            }
            if (failurePolicy == FailurePolicy.POISON_HANDLER && poisonHandler == null) {
                throw new IllegalArgumentException("failure policy POISON_HANDLER needs a poisonBatchHandler");
            }
            Duration heartbeat = heartbeatInterval != null ? heartbeatInterval
                    : failoverTime.multipliedBy(2).dividedBy(3);
            Duration take = takeInterval != null ? takeInterval : failoverTime.dividedBy(6);
            Duration margin = failoverTime.dividedBy(8);
            if (heartbeat.plus(take).compareTo(failoverTime.minus(margin)) >= 0) {
                throw new IllegalArgumentException("heartbeatInterval " + heartbeat.toMillis() + " ms plus takeInterval "
                        + take.toMillis() + " ms must be below the failoverTime " + failoverTime.toMillis()
                        + " ms minus its eighth (the self-stop margin)");
            }
            String worker = workerId != null ? workerId : defaultWorkerId();
            ConsumerSettings settings = new ConsumerSettings(applicationName,
                    tableName != null ? tableName : applicationName,
                    streamTracker != null ? null : new StreamReference(streamName, streamArn),
                    initialPosition, retrievalMode, fanOutConsumerName != null ? fanOutConsumerName : applicationName,
                    new LeaseTiming(worker, failoverTime, heartbeat, margin, take, shardSyncInterval, leaseScanInterval,
                            maxStealsPerRound, shutdownTimeout),
                    new ShardPolicy(worker, maxProcessingAttempts, failurePolicy, poisonHandler, failureListener,
                            deliverOutsideShardRange),
                    new PollingSettings(Duration.ofMillis(200), pollInterval, maxIdle(), maxRecords,
                            2L * 1024 * 1024, Duration.ofMillis(200), Duration.ofSeconds(5)),
                    Duration.ofSeconds(5));
            boolean owns = kinesis == null || dynamo == null;
            if (owns && (kinesis != null || dynamo != null)) {
                throw new IllegalArgumentException("give both kinesisClient and dynamoDbClient, or neither");
            }
            KinesisAsyncClient k = kinesis != null ? kinesis : buildKinesis();
            DynamoDbClient d = dynamo != null ? dynamo : buildDynamo();
            return new ShardwiseConsumer(this, settings, k, d, owns);
        }

        /**
         * The clients the consumer builds retry nothing themselves: every call is retried by the
         * consumer's own policy (or loop, for reads), so the SDK's retries never stack under it.
         */
        private KinesisAsyncClient buildKinesis() {
            KinesisAsyncClientBuilder b = AwsClients.target(KinesisAsyncClient.builder(), clientRegion(), kinesisEndpoint,
                    credentials);
            kinesisCustomizer.accept(b);
            return AwsClients.withoutSdkRetries(b).build();
        }

        /** The region given, else the stream ARN's: a client built for an ARN goes where the stream is. */
        private Region clientRegion() {
            if (region != null || streamArn == null) {
                return region;
            }
            return StreamReference.parse(streamArn).region().map(Region::of).orElse(null);
        }

        private DynamoDbClient buildDynamo() {
            DynamoDbClientBuilder b = DynamoDbClient.builder()
                    .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)));
            return AwsClients.withoutSdkRetries(AwsClients.target(b, clientRegion(), dynamoDbEndpoint, credentials)).build();
        }

        private static String defaultWorkerId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
            String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
            return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
        }

        private static void present(Object value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " is required");
            }
        }

        /** Every option on its own; the options that depend on each other are checked where they are combined. */
        private void checkOptions() {
            require(workerId == null || !workerId.isEmpty() && !workerId.startsWith("#"), "workerId", "'" + workerId + "'",
                    "non-empty, not starting with '#' (reserved for the worker table's own items)");
            requirePositive(failoverTime, "failoverTime");
            if (heartbeatInterval != null) {
                requirePositive(heartbeatInterval, "heartbeatInterval");
            }
            if (takeInterval != null) {
                requirePositive(takeInterval, "takeInterval");
            }
            requirePositive(shardSyncInterval, "shardSyncInterval");
            requirePositive(leaseScanInterval, "leaseScanInterval");
            requirePositive(shutdownTimeout, "shutdownTimeout");
            requirePositive(streamTrackerPollInterval, "streamTrackerPollInterval");
            require(maxStealsPerRound >= 1, "maxStealsPerRound", maxStealsPerRound, ">= 1");
            require(pollInterval != null && pollInterval.toMillis() >= 200, "pollInterval", pollInterval,
                    ">= 200 ms (5 GetRecords/s per shard)");
            require(maxProcessingAttempts >= 1, "maxProcessingAttempts", maxProcessingAttempts, ">= 1");
            require(maxRecords >= 1 && maxRecords <= 10_000, "maxRecords", maxRecords, "1 .. 10000");
        }

        /** Idle polls back off up to 500 ms, or twice the poll interval when that is longer. */
        private Duration maxIdle() {
            Duration twice = pollInterval.multipliedBy(2);
            return twice.compareTo(Duration.ofMillis(500)) > 0 ? twice : Duration.ofMillis(500);
        }
    }
}
