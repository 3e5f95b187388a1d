package io.shardwise.consumer;

import io.shardwise.kinesis.PropertyValues;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import software.amazon.awssdk.regions.Region;

/**
 * A KCL multilang properties file (the keys the KCL's {@code MultiLangDaemon} reads) applied to a
 * {@link ShardwiseConsumer.Builder}, so a KCL application's file keeps working. Each key with an
 * equivalent sets it; a value the KCL would refuse, or one outside Shardwise's range, is refused with
 * the key, the value and the range; a key with no equivalent is reported with the reason.
 */
final class KclProperties {
    private static final long MAX = Long.MAX_VALUE;
    private static final String DAEMON = "there is no multilang daemon: the processor is Java code in this process"
            + " (processorFactory or recordHandler)";
    private static final String CREDENTIALS = "class names in a file are not loaded: give the provider with"
            + " credentialsProvider(...), or build the clients yourself";
    private static final String REGISTRY = "a setting of the Micrometer registry the metrics go to (for CloudWatch,"
            + " of its CloudWatchConfig): give it the registry you build";

    /** Keys with no equivalent, and why. */
    private static final Map<String, String> NO_EQUIVALENT = Map.ofEntries(
            Map.entry("executableName", DAEMON),
            Map.entry("processingLanguage", DAEMON),
            Map.entry("AWSCredentialsProvider", CREDENTIALS),
            Map.entry("AWSCredentialsProviderDynamoDB", CREDENTIALS),
            Map.entry("AWSCredentialsProviderCloudWatch", CREDENTIALS),
            Map.entry("metricsBufferTimeMillis", REGISTRY + " (cloudwatch.step)"),
            Map.entry("metricsMaxQueueSize", REGISTRY),
            Map.entry("metricsEnabledDimensions", "the dimensions are the KCL's defaults (Operation, ShardId,"
                    + " WorkerIdentifier): drop one with a Micrometer MeterFilter.ignoreTags(...)"),
            Map.entry("maxLeasesForWorker", "leases are balanced evenly over the live workers; there is no"
                    + " per-worker ceiling"),
            Map.entry("cleanupLeasesUponShardCompletion", "a finished shard's lease is always removed once its"
                    + " children have started"),
            Map.entry("ignoreUnexpectedChildShards", "child shards are always taken from ListShards"),
            Map.entry("parentShardPollIntervalMillis", "children start at the lease round that sees their parents"
                    + " finished (takeInterval)"),
            Map.entry("taskBackoffTimeMillis", "a failed batch is retried by the failure policy: failurePolicy(...)"),
            Map.entry("timeoutInSeconds", "processing is not timed out"),
            Map.entry("validateSequenceNumberBeforeCheckpointing", "a checkpoint is checked against the lease, not"
                    + " against the stream"),
            Map.entry("initialLeaseTableReadCapacity", "the lease table is created on demand (pay per request)"),
            Map.entry("initialLeaseTableWriteCapacity", "the lease table is created on demand (pay per request)"),
            Map.entry("maxLeaseRenewalThreads", "a worker renews all its leases with one liveness write"),
            Map.entry("listShardsBackoffTimeInMillis", "ListShards is retried with the consumer's own backoff"),
            Map.entry("maxListShardsRetryAttempts", "ListShards is retried with the consumer's own backoff"),
            Map.entry("retryGetRecordsInSeconds", "GetRecords is retried with the consumer's own backoff"),
            Map.entry("maxGetRecordsThreadPool", "one GetRecords call per shard at a time, on the shard's own thread"),
            Map.entry("skipShardSyncAtWorkerInitializationIfLeasesExist", "the first shard sync is done by one"
                    + " worker only (the live worker with the least id)"),
            Map.entry("schedulerInitializationBackoffTimeMillis", "start() fails fast; retry it yourself"),
            Map.entry("shardPrioritization", "shards are taken in the order the balancer chooses"),
            Map.entry("enablePriorityLeaseAssignment", "expired leases are taken first always"),
            Map.entry("logWarningForTaskAfterMillis", "processing is not timed"));

    /** Ranges of the numeric keys: the KCL's (positive), narrowed where Shardwise or Kinesis allows less. */
    private static final Map<String, long[]> RANGES = Map.of(
            "failoverTimeMillis", new long[] {1, MAX},
            "shardSyncIntervalMillis", new long[] {1, MAX},
            "maxRecords", new long[] {1, 10_000},
            "idleTimeBetweenReadsInMillis", new long[] {200, MAX},
            "maxLeasesToStealAtOneTime", new long[] {1, Integer.MAX_VALUE},
            "shutdownGraceMillis", new long[] {1, MAX},
            "initialPositionInStreamExtended", new long[] {0, MAX / 1000});

    private KclProperties() {
    }

    /**
     * Applies {@code file} to {@code builder}. Returns the keys that were not applied, each with the
     * reason, in key order.
     *
     * @throws IllegalArgumentException for a value that is refused, naming key, value and what is allowed
     */
    static Map<String, String> apply(Properties file, ShardwiseConsumer.Builder builder) {
        Map<String, String> notApplied = new LinkedHashMap<>();
        for (String key : new TreeSet<>(file.stringPropertyNames())) {
            String value = file.getProperty(key).trim();
            long[] range = RANGES.get(key);
            long number = range == null ? 0 : PropertyValues.number(key, value, range);
            switch (key) {
                case "applicationName" -> builder.applicationName(value);
                case "streamName" -> builder.streamName(value);
                case "streamArn" -> builder.streamArn(value);
                case "tableName" -> builder.tableName(value);
                case "workerId" -> builder.workerId(value);
                case "regionName" -> builder.region(Region.of(value));
                case "kinesisEndpoint" -> builder.kinesisEndpoint(endpoint(key, value));
                case "dynamoDBEndpoint" -> builder.dynamoDbEndpoint(endpoint(key, value));
                case "failoverTimeMillis" -> builder.failoverTime(Duration.ofMillis(number));
                case "shardSyncIntervalMillis" -> builder.shardSyncInterval(Duration.ofMillis(number));
                case "maxRecords" -> builder.maxRecords((int) number);
                case "idleTimeBetweenReadsInMillis" -> builder.pollInterval(Duration.ofMillis(number));
                case "maxLeasesToStealAtOneTime" -> builder.maxStealsPerRound((int) number);
                case "shutdownGraceMillis" -> builder.shutdownTimeout(Duration.ofMillis(number));
                case "initialPositionInStream" -> {
                    switch (value.toUpperCase(Locale.ROOT)) {
                        case "LATEST" -> builder.initialPosition(InitialPosition.latest());
                        case "TRIM_HORIZON" -> builder.initialPosition(InitialPosition.trimHorizon());
                        case "AT_TIMESTAMP" -> throw new IllegalArgumentException(key + " = '" + value
                                + "' needs a time: give initialPositionInStreamExtended (seconds since the epoch)"
                                + " instead; allowed here: LATEST, TRIM_HORIZON");
                        default -> throw new IllegalArgumentException(key + " = '" + value
                                + "' is not allowed; allowed: LATEST, TRIM_HORIZON");
                    }
                }
                case "initialPositionInStreamExtended" ->
                        builder.initialPosition(InitialPosition.atTimestamp(Instant.ofEpochSecond(number)));
                case "retrievalMode" -> {
                    switch (value.toUpperCase(Locale.ROOT)) {
                        case "POLLING" -> builder.retrievalMode(RetrievalMode.POLLING);
                        // The KCL's DEFAULT is enhanced fan-out.
                        case "FANOUT", "DEFAULT" -> builder.retrievalMode(RetrievalMode.FAN_OUT);
                        default -> throw new IllegalArgumentException(key + " = '" + value
                                + "' is not allowed; allowed: FANOUT, POLLING, DEFAULT");
                    }
                }
                case "metricsLevel" -> builder.metricsNames(MetricsNames.KCL).metricsLevel(PropertyValues.choice(key, value, MetricsLevel.class, false));
                case "callProcessRecordsEvenForEmptyRecordList" -> {
                    if (PropertyValues.bool(key, value)) {
                        notApplied.put(key, "processRecords is called with records only; a processor that must act"
                                + " while its shard is idle keeps its own timer");
                    }
                }
                default -> notApplied.put(key, NO_EQUIVALENT.getOrDefault(key,
                        "not a KCL multilang configuration key"));
            }
        }
        return notApplied;
    }

    /** The SDK needs a scheme; the KCL hands the value to it as it is. */
    private static URI endpoint(String key, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(key + " = '" + value + "' is not a URL; allowed: https://host[:port]"
                    + " or http://host[:port]");
        }
        return uri;
    }
}
