package io.shardwise.producer;

import io.shardwise.kinesis.PropertyValues;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import software.amazon.awssdk.regions.Region;

/**
 * The KPL's configuration file (the {@code KinesisProducerConfiguration} keys of the KPL 1.1) applied to a
 * {@link KinesisProducer.Builder}, so a KPL user's file keeps working. Each key with an equivalent sets
 * it; a value outside the KPL's own range is refused with the key, the value and the range; a key
 * with no equivalent is reported with the reason (most belong to the KPL's native daemon, which does
 * not exist here).
 */
final class KplProperties {
    private static final int MIN_AGGREGATE_BYTES = 256;
    private static final String NO_DAEMON = "there is no native daemon (no process, threads or files of its own)";
    private static final String REGISTRY = "a setting of the Micrometer registry the metrics go to (for CloudWatch,"
            + " of its CloudWatchConfig or its CloudWatchAsyncClient): give it the registry you build";
    private static final String CLIENT = "a setting of the SDK client: build the client yourself and give it with client(...)";

    /** Keys with no equivalent, and why. */
    private static final Map<String, String> NO_EQUIVALENT = Map.ofEntries(
            Map.entry("AggregationMaxCount", "aggregates are bounded by bytes (AggregationMaxSize) and by the shard's rate"),
            Map.entry("CollectionMaxCount", "a PutRecords call carries up to its limit of 500 entries, as the shards' rates allow"),
            Map.entry("CollectionMaxSize", "a PutRecords call carries up to its limit of 5 MiB, as the shards' rates allow"),
            Map.entry("ConnectTimeout", CLIENT),
            Map.entry("ProxyHost", CLIENT),
            Map.entry("ProxyPort", CLIENT),
            Map.entry("ProxyUserName", CLIENT),
            Map.entry("ProxyPassword", CLIENT),
            Map.entry("CaCertFile", "certificates are checked against the JVM's trust store: add the CA there"),
            Map.entry("CaCertPath", "certificates are checked against the JVM's trust store: add the CA there"),
            Map.entry("GlueSchemaRegistryPropertiesFilePath", "the Glue schema registry is not supported: encode the data yourself"),
            Map.entry("RecordDistributionStrategyDefault", "every record goes to the shard of its hash key"),
            Map.entry("ReturnUserRecordOnFailure", "a failed record's future always fails with the record's own attempts"),
            Map.entry("EnableOldestFutureTracker", "the age of the oldest pending record is always kept"),
            Map.entry("EnableDaemonHealthCheck", NO_DAEMON),
            Map.entry("DaemonHealthCheckTimeoutMs", NO_DAEMON),
            Map.entry("MinConnections", "connections are opened on demand"),
            Map.entry("CredentialsRefreshDelay", "credentials come from an SDK provider, which refreshes them itself"),
            Map.entry("StsEndpoint", "credentials come from an SDK provider: configure STS there"),
            Map.entry("StsPort", "credentials come from an SDK provider: configure STS there"),
            Map.entry("FailIfThrottled", "a throttled record is retried with backoff until its RecordTtl; there is no fail-fast mode"),
            Map.entry("UserRecordTimeoutInMillis", "use RecordTtl: a record's whole time, retries included"),
            Map.entry("EnableCoreDumps", NO_DAEMON),
            Map.entry("NativeExecutable", NO_DAEMON),
            Map.entry("TempDirectory", NO_DAEMON),
            Map.entry("ThreadingModel", NO_DAEMON),
            Map.entry("ThreadPoolSize", NO_DAEMON),
            Map.entry("LogLevel", "logging goes through SLF4J: set the level of io.shardwise.producer there"),
            Map.entry("MetricsCredentials", REGISTRY),
            Map.entry("MetricsNamespace", "the namespace is the registry's: for CloudWatch set cloudwatch.namespace"
                    + " (KinesisProducerLibrary, as the KPL) in its CloudWatchConfig"),
            Map.entry("MetricsUploadDelay", "the registry publishes at its own step: for CloudWatch set cloudwatch.step"
                    + " in its CloudWatchConfig"),
            Map.entry("CloudwatchEndpoint", REGISTRY),
            Map.entry("CloudwatchPort", REGISTRY));

    /** The KPL 1.1's ranges for its numeric keys (as its KinesisProducerConfiguration checks them). */
    private static final Map<String, long[]> RANGES = Map.ofEntries(
            Map.entry("AggregationMaxCount", new long[] {1, Long.MAX_VALUE}),
            Map.entry("AggregationMaxSize", new long[] {64, 10_485_760}),
            Map.entry("MaxUserRecordSize", new long[] {64, 10_485_760}),
            Map.entry("CloudwatchPort", new long[] {1, 65_535}),
            Map.entry("CredentialsRefreshDelay", new long[] {1, 300_000}),
            Map.entry("DaemonHealthCheckTimeoutMs", new long[] {5_000, Long.MAX_VALUE}),
            Map.entry("DescribeStreamSummaryIntervalMs", new long[] {1, Long.MAX_VALUE}),
            Map.entry("ProxyPort", new long[] {1, 65_535}),
            Map.entry("CollectionMaxCount", new long[] {1, 500}),
            Map.entry("CollectionMaxSize", new long[] {52_224, Long.MAX_VALUE}),
            Map.entry("ConnectTimeout", new long[] {100, 300_000}),
            Map.entry("KinesisPort", new long[] {1, 65_535}),
            Map.entry("MaxConnections", new long[] {1, 256}),
            Map.entry("MinConnections", new long[] {1, 16}),
            Map.entry("RateLimit", new long[] {1, Long.MAX_VALUE}),
            Map.entry("RecordMaxBufferedTime", new long[] {0, Long.MAX_VALUE}),
            Map.entry("RecordTtl", new long[] {100, Long.MAX_VALUE}),
            Map.entry("RequestTimeout", new long[] {100, 600_000}),
            Map.entry("MetricsUploadDelay", new long[] {1, 60_000}));

    private KplProperties() {
    }

    /**
     * Applies {@code file} to {@code builder}. Returns the keys that were not applied, each with the
     * reason, in key order.
     *
     * @throws IllegalArgumentException for a value outside the KPL's range, naming key, value and range
     */
    static Map<String, String> apply(Properties file, KinesisProducer.Builder builder) {
        Map<String, String> notApplied = new LinkedHashMap<>();
        for (String key : new TreeSet<>(file.stringPropertyNames())) {
            String value = file.getProperty(key).trim();
            long[] range = RANGES.get(key);
            long number = range == null ? 0 : PropertyValues.number(key, value, range);
            switch (key) {
                case "AggregationEnabled" -> builder.aggregation(PropertyValues.bool(key, value));
                case "AggregationMaxSize" -> {
                    builder.aggregationMaxBytes((int) Math.max(MIN_AGGREGATE_BYTES, number));
                    if (number < MIN_AGGREGATE_BYTES) {
                        notApplied.put(key, "raised to " + MIN_AGGREGATE_BYTES + ", the smallest aggregate Shardwise builds");
                    }
                }
                case "MaxUserRecordSize" -> builder.maxRecordBytes((int) number);
                case "DescribeStreamSummaryIntervalMs" -> builder.shardMapRefreshInterval(Duration.ofMillis(number));
                case "RecordMaxBufferedTime" -> builder.maxBufferedTime(Duration.ofMillis(number));
                case "RecordTtl" -> builder.recordTtl(Duration.ofMillis(number));
                case "RequestTimeout" -> builder.requestTimeout(Duration.ofMillis(number));
                case "MaxConnections" -> builder.maxInFlightRequests((int) number);
                case "Region" -> builder.region(Region.of(value));
                case "MetricsLevel" -> {
                    builder.metricsNames(MetricsNames.KPL).metricsLevel(PropertyValues.choice(key, value, MetricsLevel.class, true));
                }
                case "MetricsGranularity" -> {
                    builder.metricsNames(MetricsNames.KPL).metricsGranularity(PropertyValues.choice(key, value, MetricsGranularity.class, true));
                }
                case "RateLimit" -> {
                    if (number < 100) {
                        builder.shardRateLimit(number / 100.0);
                    } else {
                        notApplied.put(key, "above 100% of a shard's limit the shard throttles; the adaptive limiter"
                                + " keeps at most 100% and finds this producer's share by itself");
                    }
                }
                case "KinesisEndpoint", "KinesisPort" -> {
                    // Applied once both are read: the endpoint is https://KinesisEndpoint:KinesisPort.
                }
                case "VerifyCertificate" -> {
                    if (!PropertyValues.bool(key, value)) {
                        notApplied.put(key, "certificates are always verified: give the endpoint a trusted"
                                + " certificate, or use its plain HTTP port with endpoint(URI)");
                    }
                }
                default -> notApplied.put(key, NO_EQUIVALENT.getOrDefault(key, "not a KPL 1.x configuration key"));
            }
        }
        String host = file.getProperty("KinesisEndpoint");
        if (host != null && !host.isBlank()) {
            String port = file.getProperty("KinesisPort", "443").trim();
            builder.endpoint(URI.create("https://" + host.trim() + ":" + port));
        } else if (file.getProperty("KinesisPort") != null) {
            notApplied.put("KinesisPort", "used only with KinesisEndpoint");
        }
        return notApplied;
    }
}
