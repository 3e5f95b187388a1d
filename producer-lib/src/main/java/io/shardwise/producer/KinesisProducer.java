package io.shardwise.producer;

import static io.shardwise.kinesis.OptionChecks.require;
import static io.shardwise.kinesis.OptionChecks.requirePositive;

import io.shardwise.kinesis.StreamReference;
import io.shardwise.aggregation.HashKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.shardwise.aggregation.RecordAggregator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

/**
 * Puts records into a Kinesis data stream with batching, KPL-compatible aggregation, per-shard rate
 * limits that adapt to throttling, retries that keep per-key order, and a hard bound on memory.
 *
 * <pre>{@code
 * try (KinesisProducer producer = KinesisProducer.builder().stream("orders").build()) {
 *     producer.send("customer-42", bytes).thenAccept(r -> log.info("stored in {}", r.shardId()));
 * }
 * }</pre>
 *
 * <p>The pipeline, one class per stage (producer-lib's README follows a record through it): {@code send}
 * validates the record ({@link RecordValidator}), may move it off a hot shard ({@link KeySpreader}) and
 * queues it on its predicted shard ({@link RecordAccumulator}, routing by {@link ShardQueues}); one
 * background thread ({@link Sender}) drains ready shards into PutRecords requests ({@link EntryPacker},
 * {@link PutBatch}) within each shard's {@link AdaptiveRateLimiter}, hands them to the client
 * ({@link PutRecordsTransport}), reads each answer ({@link AnswerOutcome}) and completes each record's
 * future or puts it back at the front of its shard's queue after a backoff ({@link RetryBackoff});
 * {@link ReshardReconciler} catches up after splits and merges.
 *
 * <p>This file is over 400 lines because of the public {@link Builder}: one documented method per
 * option. The producer's own part is about 240 lines.
 *
 * <p>Futures complete on the producer's thread: do not block in their callbacks (use the
 * {@code ...Async} methods of {@code CompletableFuture} for slow work). Thread-safe.
 */
public final class KinesisProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KinesisProducer.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int HOT_KEYS_REPORTED = 5;

    private final ProducerConfig config;
    private final KinesisAsyncClient kinesis;
    private final boolean ownsClient;
    private final RecordValidator validator;
    private final MemoryBudget budget;
    private final RecordAccumulator accumulator;
    private final ReshardReconciler reshards;
    private final Sender sender;
    private final long blockNanos;
    /** Null when key spreading is off. */
    private final KeySpreader spreader;
    private final ProducerMetrics metrics;
    private volatile boolean closed;

    /** The Kinesis client this producer sends through (for tests of how the builder made it). */
    KinesisAsyncClient kinesisClient() {
        return kinesis;
    }

    /** The options this producer runs with. */
    ProducerConfig config() {
        return config;
    }

    private KinesisProducer(ProducerConfig config, KinesisAsyncClient kinesis, boolean ownsClient,
                            PutRecordsTransport transport, ProducerMetrics metrics) {
        this.config = config;
        this.kinesis = kinesis;
        this.ownsClient = ownsClient;
        this.validator = new RecordValidator(config.maxRecordBytes());
        this.budget = new MemoryBudget(config.maxBufferedBytes());
        this.reshards = new ReshardReconciler(config.sender().recordTtl().toNanos());
        this.accumulator = new RecordAccumulator(config.accumulator(), reshards);
        this.spreader = config.keySpreading()
                ? new KeySpreader(accumulator, config.stream(), config.accumulator().ordered(), config.spreadBuckets()) : null;
        this.sender = new Sender(config.sender(), accumulator, reshards, budget, new ShardMapLoader(kinesis, config.stream()),
                transport, metrics);
        this.blockNanos = config.maxBlockTime().toNanos();
        this.metrics = metrics;
        metrics.userRecordsPending(accumulator, RecordAccumulator::outstanding);
        metrics.gauge("shardwise.producer.buffered.bytes", "bytes held by the producer", budget, MemoryBudget::usedBytes);
        metrics.gauge("shardwise.producer.outstanding.records", "user records without a result yet", accumulator,
                RecordAccumulator::outstanding);
        sender.start("shardwise-producer-" + INSTANCES.incrementAndGet());
    }

    /** A builder; only the stream is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sends an ordered record; the future completes with where it was stored, or fails (never hangs). */
    public CompletableFuture<SendResult> send(String partitionKey, byte[] data) {
        return send(new ProducerRecord(partitionKey, null, data, false, null));
    }

    /** Sends an ordered record to the shard that owns {@code explicitHashKey} (decimal, 0 .. 2^128-1). */
    public CompletableFuture<SendResult> send(String partitionKey, String explicitHashKey, byte[] data) {
        return send(new ProducerRecord(partitionKey, explicitHashKey, data, false, null));
    }

    /**
     * Sends a record with per-record options. Fails the returned future (never throws) with
     * {@link InvalidRecordException} for a record over a limit, {@link BufferFullException} when
     * {@code maxBufferedBytes} stayed full for {@code maxBlockTime}, {@link ProducerClosedException}
     * after {@link #close()}, {@link RecordExpiredException} or {@link RecordFailedException}.
     */
    public CompletableFuture<SendResult> send(ProducerRecord record) {
        Objects.requireNonNull(record, "record");
        if (closed) {
            return CompletableFuture.failedFuture(new ProducerClosedException("producer is closed; record not accepted"));
        }
        int size;
        HashKey hashKey;
        try {
            size = validator.validate(record.partitionKey(), record.explicitHashKey(), record.data());
            hashKey = HashKey.effective(record.partitionKey(), record.explicitHashKey());
        } catch (InvalidRecordException e) {
            return CompletableFuture.failedFuture(e);
        }
        String explicitHashKey = record.explicitHashKey();
        CompletableFuture<Void> barrier = null;
        if (spreader != null && explicitHashKey == null) {
            KeySpreader.Spread spread = spreader.spread(record, hashKey);
            if (spread != null) {
                explicitHashKey = spread.explicitHashKey();
                hashKey = spread.hashKey();
                barrier = spread.barrier();
            }
        }
        int reserved = PendingRecord.budgetBytes(size);
        try {
            if (!budget.reserve(reserved, blockNanos)) {
                return CompletableFuture.failedFuture(new BufferFullException("producer holds "
                        + budget.usedBytes() + " of maxBufferedBytes=" + budget.maxBytes() + " bytes and had no room for a "
                        + reserved + "-byte record within maxBlockTime=" + config.maxBlockTime().toMillis()
                        + " ms; slow down, or raise maxBufferedBytes or maxBlockTime"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new BufferFullException("interrupted while waiting for buffer room"));
        }
        long now = System.nanoTime();
        PendingRecord pending = new PendingRecord(record.partitionKey(), explicitHashKey, record.data(), hashKey,
                size, record.unordered() || !config.accumulator().ordered(), now);
        pending.barrier = barrier;
        boolean full;
        try {
            full = accumulator.append(pending);
        } catch (ProducerClosedException e) {
            budget.release(reserved);
            return CompletableFuture.failedFuture(e);
        }
        metrics.userRecordReceived();
        if (full) {
            sender.wakeUp();
        }
        return pending;
    }

    /** A future that completes when every record sent before this call has a result. */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> flush = accumulator.flush();
        sender.wakeUp();
        return flush;
    }

    /** Flushes for up to 30 seconds, then closes: see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Stops taking records, sends what is held for up to {@code timeout}, then fails every future still
     * open with {@link ProducerClosedException} and releases the threads (and the client, when the
     * producer built it). No future is left hanging.
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        accumulator.close();
        CompletableFuture<Void> flushed = flush();
        try {
            flushed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("stream {}: close timed out after {} ms with {} records outstanding; failing them",
                    config.stream(), timeout.toMillis(), accumulator.outstanding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("flush before close failed", e);
        }
        try {
            sender.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<PendingRecord> left = new java.util.ArrayList<>(accumulator.abandonAll());
        left.addAll(reshards.abandon());
        if (!left.isEmpty()) {
            sender.fail(left, record -> new ProducerClosedException("producer closed before the record had a result"
                    + (record.attemptCount() == 0 ? "" : " (" + record.attemptCount()
                    + " attempt(s) made; a request in flight may still have stored it)")));
        }
        if (ownsClient) {
            kinesis.close();
        }
    }

    /** Bytes held for records without a result (bounded by {@code maxBufferedBytes}). */
    public long bufferedBytes() {
        return budget.usedBytes();
    }

    /** User records sent whose futures have not completed. */
    public long outstandingRecords() {
        return accumulator.outstanding();
    }

    /** How long the oldest record without a result has been held; zero when there is none. */
    public Duration oldestRecordAge() {
        long oldest = accumulator.oldestCreatedNanos();
        return oldest == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - oldest));
    }

    /** What the producer holds and measures per shard. */
    public List<ShardState> shardStates() {
        return accumulator.states(HOT_KEYS_REPORTED);
    }

    /** Shards running near their limits or being throttled, with their heaviest keys. */
    public List<ShardState> hotShards() {
        return shardStates().stream().filter(ShardState::hot).toList();
    }

    /** Completes once the first shard map was loaded (or failed to load); until then records go unaggregated. */
    public CompletableFuture<Void> ready() {
        return sender.firstShardMap();
    }

    /** What to do when {@code maxBufferedBytes} is full. */
    public enum WhenFull {
        /** {@code send} waits for room up to {@code maxBlockTime}, then fails the record's future. */
        BLOCK,
        /** {@code send} fails the record's future at once with {@link BufferFullException}. */
        FAIL_FAST
    }

    /**
     * Builds a {@link KinesisProducer}. Every option has a production default; only the stream is
     * required. Without a client, one is built from region / endpoint / credentials (or the default
     * provider chains) and {@link #customizeKinesisClient}, with the Netty HTTP client, and the producer
     * closes it on close.
     */
    public static final class Builder {
        private String stream;
        private KinesisAsyncClient client;
        private Region region;
        private URI endpoint;
        private AwsCredentialsProvider credentials;
        private boolean aggregation = true;
        /** Null until set: the default then depends on the ordering mode (see {@link #aggregationMaxBytes(int)}). */
        private Integer aggregationMaxBytes;
        private boolean ordered = true;
        private Duration maxBufferedTime = Duration.ofMillis(100);
        private long maxBufferedBytes = 64L * 1024 * 1024;
        private WhenFull whenFull = WhenFull.BLOCK;
        private Duration maxBlockTime = Duration.ofSeconds(10);
        private Duration recordTtl = Duration.ofSeconds(30);
        private int maxRecordBytes = 1024 * 1024;
        private Duration shardMapRefreshInterval = Duration.ofSeconds(60);
        private double shardRateLimit = 1.0;
        private int maxInFlightRequests = 64;
        private int maxInFlightRequestsPerShard = 4;
        private Duration retryBaseDelay = Duration.ofMillis(100);
        private Duration retryMaxDelay = Duration.ofSeconds(3);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private boolean keySpreading;
        private int spreadBuckets = 4;
        private double hotShardFraction = 0.8;
        private MeterRegistry meterRegistry;
        private Consumer<KinesisAsyncClientBuilder> clientCustomizer;
        private MetricsNames metricsNames = MetricsNames.SHARDWISE;
        private MetricsLevel metricsLevel = MetricsLevel.DETAILED;
        private MetricsGranularity metricsGranularity = MetricsGranularity.SHARD;

        private Builder() {}

        /** The stream's name, or its ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}). Required. */
        public Builder stream(String nameOrArn) {
            this.stream = nameOrArn;
            return this;
        }

        /**
         * A finished client to use (the producer does not close it): <b>the slow path</b>. A client given here
         * is used as it is, so PutRecords go through the SDK's own marshalling, which copies each request body
         * five to seven times, and its own retry settings apply. Default: the producer builds its client
         * (closed on close), which writes each body once and leaves retrying to the producer; to add a proxy,
         * credentials or interceptors to that client, use {@link #customizeKinesisClient} instead.
         */
        public Builder kinesisClient(KinesisAsyncClient client) {
            this.client = client;
            return this;
        }

        /** @deprecated the old name of {@link #kinesisClient}, the name both builders use. */
        @Deprecated
        public Builder client(KinesisAsyncClient client) {
            return kinesisClient(client);
        }

        /**
         * Customizes the builder of the client the producer builds, keeping the fast PutRecords path: e.g.
         * a credentials provider, a region, execution interceptors ({@code b.overrideConfiguration(o ->
         * o.addExecutionInterceptor(...))}), or a proxy through an HTTP client builder of your own
         * ({@code b.httpClientBuilder(NettyNioAsyncHttpClient.builder().proxyConfiguration(...))}, which
         * replaces the producer's: HTTP/1.1, a pool of {@code max(maxInFlightRequests, 8)} connections, two
         * I/O threads). Runs after region, endpoint and credentials are applied. Afterwards the producer
         * adds its body-writing interceptor to the override configuration and turns the SDK's retries off
         * ({@code AwsRetryStrategy.doNotRetry()}): it retries each entry itself, in order. Not with
         * {@link #kinesisClient}.
         */
        public Builder customizeKinesisClient(Consumer<KinesisAsyncClientBuilder> customizer) {
            this.clientCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** Region of the client the producer builds. Default: the SDK's region provider chain. */
        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** Endpoint of the client the producer builds, e.g. a local engine. Default: the region's. */
        public Builder kinesisEndpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** @deprecated the old name of {@link #kinesisEndpoint}, the name both builders use. */
        @Deprecated
        public Builder endpoint(URI endpoint) {
            return kinesisEndpoint(endpoint);
        }

        /** Credentials of the client the producer builds. Default: the SDK's default provider chain. */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** @deprecated the old name of {@link #credentialsProvider}, the name both builders use. */
        @Deprecated
        public Builder credentials(AwsCredentialsProvider credentials) {
            return credentialsProvider(credentials);
        }

        /** Whether to pack user records of one shard into KPL aggregates. Default: true. */
        public Builder aggregation(boolean aggregation) {
            this.aggregation = aggregation;
            return this;
        }

        /**
         * Largest aggregate, in bytes (data plus partition key, as Kinesis counts). Default in ordered mode:
         * {@code maxRecordBytes} (1 MiB unless raised), since a request may carry only one Kinesis record
         * per shard there and a larger aggregate moves more user records per round trip; in unordered mode
         * 51,200, as the KPL (many aggregates per shard go in each request anyway).
         */
        public Builder aggregationMaxBytes(int bytes) {
            this.aggregationMaxBytes = bytes;
            return this;
        }

        /**
         * Ordered (default): a shard's records are stored in send order across retries. Unordered: several
         * Kinesis records and requests in flight per shard, for throughput; every record may be spread.
         */
        public Builder ordered(boolean ordered) {
            this.ordered = ordered;
            return this;
        }

        /** How long a record may wait for others to fill its request. Default: 100 ms. */
        public Builder maxBufferedTime(Duration maxBufferedTime) {
            this.maxBufferedTime = maxBufferedTime;
            return this;
        }

        /** Bound on the bytes held over everything: queued, in flight, awaiting retry. Default: 64 MiB. */
        public Builder maxBufferedBytes(long maxBufferedBytes) {
            this.maxBufferedBytes = maxBufferedBytes;
            return this;
        }

        /** What {@code send} does when the buffer is full, and how long it may wait. Default: BLOCK, 10 s. */
        public Builder whenFull(WhenFull whenFull, Duration maxBlockTime) {
            this.whenFull = whenFull;
            this.maxBlockTime = maxBlockTime;
            return this;
        }

        /** How long a record may take, retries included, before its future fails. Default: 30 s. */
        public Builder recordTtl(Duration recordTtl) {
            this.recordTtl = recordTtl;
            return this;
        }

        /** The stream's maximum record size (data plus key). Default: 1 MiB; up to 10 MiB for raised streams. */
        public Builder maxRecordBytes(int maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /** How often the shard map is re-read (it is also re-read at once on a mispredicted shard). Default: 60 s. */
        public Builder shardMapRefreshInterval(Duration interval) {
            this.shardMapRefreshInterval = interval;
            return this;
        }

        /**
         * Per-shard rate ceiling as a fraction of the shard limits (1,000 records/s, 1 MiB/s); the limiter
         * adapts below it on throttling (halving once per throttled answer, regaining 5% of the limit per
         * second), so several producers on one stream find fair shares by themselves, and sizes each
         * aggregate to what the allowance takes in about the linger time. 0 turns rate limiting off.
         * Default: 1.0.
         */
        public Builder shardRateLimit(double fractionOfShardLimit) {
            this.shardRateLimit = fractionOfShardLimit;
            return this;
        }

        /** Bound on concurrent PutRecords calls. Default: 64. */
        public Builder maxInFlightRequests(int maxInFlightRequests) {
            this.maxInFlightRequests = maxInFlightRequests;
            return this;
        }

        /** Unordered mode: bound on concurrent calls carrying one shard's records. Default: 4. */
        public Builder maxInFlightRequestsPerShard(int max) {
            this.maxInFlightRequestsPerShard = max;
            return this;
        }

        /**
         * Retry backoff: exponential from {@code base} up to {@code max}, with full jitter; a throttled
         * entry waits x1.5 per attempt from {@code base}, randomized by +-50%. Default: 100 ms, 3 s.
         */
        public Builder retryBackoff(Duration base, Duration max) {
            this.retryBaseDelay = base;
            this.retryMaxDelay = max;
            return this;
        }

        /** Bound on one PutRecords call, after which it counts as failed and is retried. Default: 10 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Opt-in key spreading. Unordered records whose shard is hot go to the least-loaded shards (by
         * explicit hash key); ordered records of a hot key that carry an ordering sub-key are spread over
         * {@code buckets} buckets chosen from the sub-key. Default: off.
         */
        public Builder keySpreading(boolean enabled, int buckets) {
            this.keySpreading = enabled;
            this.spreadBuckets = buckets;
            return this;
        }

        /** A shard counts as hot from this fraction of its limits (or when throttled). Default: 0.8. */
        public Builder hotShardFraction(double fraction) {
            this.hotShardFraction = fraction;
            return this;
        }

        /**
         * Applies a KPL configuration file ({@code default_config.properties} keys of the KPL 1.x):
         * AggregationEnabled, AggregationMaxSize, MaxUserRecordSize, RecordMaxBufferedTime, RecordTtl,
         * RequestTimeout, MaxConnections (concurrent requests), Region, KinesisEndpoint and KinesisPort,
         * DescribeStreamSummaryIntervalMs (shard map refresh), RateLimit below 100 (percent of a shard's limit),
         * MetricsLevel and MetricsGranularity (these select the KPL's metric names for the registry given with
         * {@link #meterRegistry}). A value outside the KPL's own range is refused with an
         * {@link IllegalArgumentException} naming key, value and range. Keys with no equivalent (most
         * belong to the KPL's native daemon, or configure its CloudWatch upload) are logged at WARN with the
         * reason, once each. Options set after this call override the file.
         */
        public Builder properties(java.util.Properties kplConfiguration) {
            KplProperties.apply(kplConfiguration, this).forEach((key, reason) ->
                    log.warn("KPL property {} is not applied: {}", key, reason));
            return this;
        }

        /** Reports metrics to this registry (needs micrometer-core). Default: no metrics. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The names the metrics are published under: {@link MetricsNames#SHARDWISE} (default) or the KPL's
         * ({@link MetricsNames#KPL}, with {@link #metricsLevel} and {@link #metricsGranularity}).
         */
        public Builder metricsNames(MetricsNames names) {
            this.metricsNames = java.util.Objects.requireNonNull(names, "metricsNames");
            return this;
        }

        /** With KPL names: which metrics, as the KPL's MetricsLevel. Default: DETAILED (all). */
        public Builder metricsLevel(MetricsLevel level) {
            this.metricsLevel = java.util.Objects.requireNonNull(level, "metricsLevel");
            return this;
        }

        /** With KPL names: the finest breakdown, as the KPL's MetricsGranularity. Default: SHARD. */
        public Builder metricsGranularity(MetricsGranularity granularity) {
            this.metricsGranularity = java.util.Objects.requireNonNull(granularity, "metricsGranularity");
            return this;
        }

        Region region() {
            return region;
        }

        MetricsNames metricsNames() {
            return metricsNames;
        }

        MetricsLevel metricsLevel() {
            return metricsLevel;
        }

        MetricsGranularity metricsGranularity() {
            return metricsGranularity;
        }

        URI endpoint() {
            return endpoint;
        }

        public KinesisProducer build() {
            StreamReference streamId = StreamReference.parse(stream);
            require(maxRecordBytes >= 1 && maxRecordBytes <= 10 * 1024 * 1024, "maxRecordBytes", maxRecordBytes,
                    "1 .. 10485760");
            int aggregationMaxBytes = this.aggregationMaxBytes != null ? this.aggregationMaxBytes
                    : ordered ? Math.min(maxRecordBytes, RecordAggregator.MAX_BYTES_LIMIT) : RecordAggregator.DEFAULT_MAX_BYTES;
            require(aggregationMaxBytes >= 256 && aggregationMaxBytes <= RecordAggregator.MAX_BYTES_LIMIT,
                    "aggregationMaxBytes", aggregationMaxBytes, "256 .. " + RecordAggregator.MAX_BYTES_LIMIT);
            require(maxBufferedBytes >= 1024 * 1024, "maxBufferedBytes", maxBufferedBytes, ">= 1048576");
            require(!maxBufferedTime.isNegative(), "maxBufferedTime", maxBufferedTime, ">= 0");
            require(!maxBlockTime.isNegative(), "maxBlockTime", maxBlockTime, ">= 0");
            require(recordTtl.compareTo(Duration.ofMillis(100)) >= 0, "recordTtl", recordTtl, ">= 100 ms");
            require(shardRateLimit >= 0 && shardRateLimit <= 10, "shardRateLimit", shardRateLimit, "0 .. 10");
            require(maxInFlightRequests >= 1 && maxInFlightRequests <= 10_000, "maxInFlightRequests",
                    maxInFlightRequests, "1 .. 10000");
            require(retryBaseDelay.toMillis() >= 1, "retryBackoff base", retryBaseDelay, ">= 1 ms");
            require(retryMaxDelay.compareTo(retryBaseDelay) >= 0, "retryBackoff max", retryMaxDelay,
                    ">= base (" + retryBaseDelay + ")");
            require(maxInFlightRequestsPerShard >= 1, "maxInFlightRequestsPerShard", maxInFlightRequestsPerShard, ">= 1");
            require(spreadBuckets >= 1 && spreadBuckets <= 1024, "spread buckets", spreadBuckets, "1 .. 1024");
            require(hotShardFraction > 0, "hotShardFraction", hotShardFraction, "> 0");
            requirePositive(shardMapRefreshInterval, "shardMapRefreshInterval");
            requirePositive(requestTimeout, "requestTimeout");
            AccumulatorConfig accumulation = new AccumulatorConfig(aggregation, aggregationMaxBytes, ordered,
                    maxBufferedTime, recordTtl, shardRateLimit, maxInFlightRequests, maxInFlightRequestsPerShard,
                    hotShardFraction);
            SenderConfig sending = new SenderConfig(streamId, recordTtl, shardMapRefreshInterval, retryBaseDelay,
                    retryMaxDelay, requestTimeout);
            ProducerConfig config = new ProducerConfig(streamId, maxRecordBytes, maxBufferedBytes,
                    whenFull == WhenFull.FAIL_FAST ? Duration.ZERO : maxBlockTime, accumulation, sending, keySpreading,
                    spreadBuckets);
            ProducerMetrics metrics = meterRegistry == null ? ProducerMetrics.NONE
                    : metricsNames == MetricsNames.KPL ? kplMetrics(streamId)
                    : new MicrometerProducerMetrics(meterRegistry, streamId.name());
            if (client != null && clientCustomizer != null) {
                throw new IllegalStateException("kinesisClient(...) and customizeKinesisClient(...) were both set: a customizer "
                        + "applies to the client the producer builds; give one or the other");
            }
            if (client != null) {
                log.info("stream {}: PutRecords go through the SDK's marshalling of the given client (the slow path); "
                        + "customizeKinesisClient(...) keeps the producer's fast path", streamId);
                return new KinesisProducer(config, client, false,
                        PutRecordsTransport.sdkMarshalling(client, streamId, requestTimeout), metrics);
            }
            // A stream ARN names its region: the client the producer builds goes there unless told otherwise.
            Region clientRegion = region != null ? region : streamId.region().map(Region::of).orElse(null);
            KinesisAsyncClient kinesis = ProducerClient.build(clientRegion, endpoint, credentials, maxInFlightRequests,
                    clientCustomizer);
            return new KinesisProducer(config, kinesis, true,
                    PutRecordsTransport.writtenBodies(kinesis, streamId, requestTimeout), metrics);
        }

        private ProducerMetrics kplMetrics(StreamReference streamId) {
            return metricsLevel == MetricsLevel.NONE ? ProducerMetrics.NONE
                    : new KplProducerMetrics(meterRegistry, streamId.name(), metricsLevel, metricsGranularity);
        }
    }
}
