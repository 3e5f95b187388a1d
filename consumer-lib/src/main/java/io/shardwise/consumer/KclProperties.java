package io.shardwise.consumer;

import io.shardwise.kinesis.PropertiesFile;
import io.shardwise.kinesis.PropertyValues;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.regions.Region;

/**
 * A KCL multilang properties file (the keys the KCL's {@code MultiLangDaemon} reads) applied to a
 * {@link ShardwiseConsumer.Builder}, so a KCL application's file keeps working. Each key with an
 * equivalent sets it; a value the KCL would refuse, or one outside Shardwise's range, is refused with
 * the key, the value and the range; a key with no equivalent is reported with the reason.
 */
final class KclProperties {
    /** The KCL's keys: their ranges, and why those with no equivalent have none (kcl-keys.properties). */
    private static final PropertiesFile KEYS = PropertiesFile.keys(KclProperties.class, "kcl-keys.properties",
            "not a KCL multilang configuration key");

    private KclProperties() {
    }

    /**
     * Applies {@code file} to {@code builder}. Returns the keys that were not applied, each with the
     * reason, in key order.
     *
     * @throws IllegalArgumentException for a value that is refused, naming key, value and what is allowed
     */
    static Map<String, String> apply(Properties file, ShardwiseConsumer.Builder builder) {
        return KEYS.apply(file, (entry, notApplied) -> apply(entry, builder, notApplied));
    }

    private static void apply(PropertiesFile.Entry entry, ShardwiseConsumer.Builder builder, Map<String, String> notApplied) {
        String key = entry.key();
        String value = entry.value();
        long number = entry.number();
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
            default -> notApplied.put(key, KEYS.whyNotApplied(key));
        }
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
