package io.shardwise.producer;

import io.shardwise.kinesis.PropertiesFile;
import io.shardwise.kinesis.PropertyValues;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
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
    /** The KPL's keys: their ranges, and why those with no equivalent have none (kpl-keys.properties). */
    private static final PropertiesFile KEYS = PropertiesFile.keys(KplProperties.class, "kpl-keys.properties",
            "not a KPL 1.x configuration key");

    private KplProperties() {
    }

    /**
     * Applies {@code file} to {@code builder}. Returns the keys that were not applied, each with the
     * reason, in key order.
     *
     * @throws IllegalArgumentException for a value outside the KPL's range, naming key, value and range
     */
    static Map<String, String> apply(Properties file, KinesisProducer.Builder builder) {
        Map<String, String> notApplied = KEYS.apply(file, (entry, skipped) -> apply(entry, builder, skipped));
        String host = file.getProperty("KinesisEndpoint");
        if (host != null && !host.isBlank()) {
            String port = file.getProperty("KinesisPort", "443").trim();
            builder.kinesisEndpoint(URI.create("https://" + host.trim() + ":" + port));
        } else if (file.getProperty("KinesisPort") != null) {
            notApplied.put("KinesisPort", "used only with KinesisEndpoint");
        }
        return notApplied;
    }

    private static void apply(PropertiesFile.Entry entry, KinesisProducer.Builder builder, Map<String, String> notApplied) {
        String key = entry.key();
        String value = entry.value();
        long number = entry.number();
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
                            + " certificate, or use its plain HTTP port with kinesisEndpoint(URI)");
                }
            }
            default -> notApplied.put(key, KEYS.whyNotApplied(key));
        }
    }
}
