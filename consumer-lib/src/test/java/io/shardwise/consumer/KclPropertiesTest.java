package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** A KCL multilang application's properties file on the Shardwise consumer: what maps, what is refused, what is reported. */
class KclPropertiesTest {

    private static Properties file(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private static ConsumerSettings settings(ShardwiseConsumer.Builder builder) {
        try (KinesisAsyncClient kinesis = KinesisAsyncClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
             DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1)
                     .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            return builder.kinesisClient(kinesis).dynamoDbClient(dynamo).recordHandler(record -> { }).build().settings();
        }
    }

    @Test
    void everyKeyWithAnEquivalentSetsItsOption() {
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder();
        Map<String, String> notApplied = KclProperties.apply(file(
                "applicationName", "orders-app", "streamName", "orders", "tableName", "orders-leases",
                "workerId", "worker-7", "initialPositionInStream", "TRIM_HORIZON", "regionName", "eu-west-1",
                "kinesisEndpoint", "https://kinesis.example.internal:4567", "dynamoDBEndpoint", "http://localhost:8000",
                "failoverTimeMillis", "10000", "shardSyncIntervalMillis", "30000", "maxRecords", "500",
                "idleTimeBetweenReadsInMillis", "1000", "maxLeasesToStealAtOneTime", "2", "shutdownGraceMillis", "5000",
                "retrievalMode", "POLLING", "metricsLevel", "SUMMARY", "callProcessRecordsEvenForEmptyRecordList", "false"),
                builder);

        assertThat(notApplied).isEmpty();
        assertThat(builder.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(builder.kinesisEndpoint()).isEqualTo(URI.create("https://kinesis.example.internal:4567"));
        assertThat(builder.dynamoDbEndpoint()).isEqualTo(URI.create("http://localhost:8000"));
        assertThat(builder.metricsNames()).isEqualTo(MetricsNames.KCL);
        assertThat(builder.metricsLevel()).isEqualTo(MetricsLevel.SUMMARY);
        ConsumerSettings settings = settings(builder);
        assertThat(settings.applicationName()).isEqualTo("orders-app");
        assertThat(settings.stream().name()).isEqualTo("orders");
        assertThat(settings.tableName()).isEqualTo("orders-leases");
        assertThat(settings.workerId()).isEqualTo("worker-7");
        assertThat(settings.initialPosition()).isEqualTo(InitialPosition.trimHorizon());
        assertThat(settings.leases().failoverTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.leases().shardSyncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.polling().maxRecords()).isEqualTo(500);
        assertThat(settings.polling().idleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.leases().maxStealsPerRound()).isEqualTo(2);
        assertThat(settings.leases().shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.retrievalMode()).isEqualTo(RetrievalMode.POLLING);
    }

    @Test
    void aTimestampStartsAtThatSecondAndTheKclsDefaultRetrievalIsFanOut() {
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder();
        KclProperties.apply(file("applicationName", "a", "streamArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/orders",
                "initialPositionInStreamExtended", "1700000000", "retrievalMode", "DEFAULT"), builder);

        ConsumerSettings settings = settings(builder);
        assertThat(settings.initialPosition()).isEqualTo(InitialPosition.atTimestamp(Instant.ofEpochSecond(1_700_000_000)));
        assertThat(settings.retrievalMode()).isEqualTo(RetrievalMode.FAN_OUT);
        assertThat(settings.stream().arn()).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
    }

    @Test
    void keysWithNoEquivalentAreReportedWithTheReasonAndChangeNothing() {
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder();
        Map<String, String> notApplied = KclProperties.apply(file("executableName", "sample_kclpy_app.py",
                "AWSCredentialsProvider", "DefaultCredentialsProvider", "maxLeasesForWorker", "10",
                "metricsEnabledDimensions", "Operation", "callProcessRecordsEvenForEmptyRecordList", "true",
                "colour", "blue"), builder);

        assertThat(notApplied).containsOnlyKeys("executableName", "AWSCredentialsProvider", "maxLeasesForWorker",
                "metricsEnabledDimensions", "callProcessRecordsEvenForEmptyRecordList", "colour");
        assertThat(notApplied.get("executableName")).contains("no multilang daemon");
        assertThat(notApplied.get("AWSCredentialsProvider")).contains("credentialsProvider(");
        assertThat(notApplied.get("metricsEnabledDimensions")).contains("MeterFilter");
        assertThat(notApplied.get("callProcessRecordsEvenForEmptyRecordList")).contains("records only");
        assertThat(notApplied.get("colour")).isEqualTo("not a KCL multilang configuration key");
        assertThat(builder.metricsNames()).isEqualTo(MetricsNames.SHARDWISE);
    }

    @Test
    void aBadValueIsRefusedWithKeyValueAndWhatIsAllowed() {
        ShardwiseConsumer.Builder builder = ShardwiseConsumer.builder();
        assertThatThrownBy(() -> KclProperties.apply(file("maxRecords", "20000"), builder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecords = 20000 is out of range; allowed: 1 .. 10000");
        assertThatThrownBy(() -> KclProperties.apply(file("idleTimeBetweenReadsInMillis", "100"), builder))
                .hasMessage("idleTimeBetweenReadsInMillis = 100 is out of range; allowed: 200 .. 9223372036854775807");
        assertThatThrownBy(() -> KclProperties.apply(file("failoverTimeMillis", "ten seconds"), builder))
                .hasMessage("failoverTimeMillis = 'ten seconds' is not an integer; allowed: 1 .. 9223372036854775807");
        assertThatThrownBy(() -> KclProperties.apply(file("initialPositionInStream", "EARLIEST"), builder))
                .hasMessage("initialPositionInStream = 'EARLIEST' is not allowed; allowed: LATEST, TRIM_HORIZON");
        assertThatThrownBy(() -> KclProperties.apply(file("retrievalMode", "PUSH"), builder))
                .hasMessage("retrievalMode = 'PUSH' is not allowed; allowed: FANOUT, POLLING, DEFAULT");
        assertThatThrownBy(() -> KclProperties.apply(file("metricsLevel", "VERBOSE"), builder))
                .hasMessage("metricsLevel = 'VERBOSE' is not allowed; allowed: NONE, SUMMARY, DETAILED");
        assertThatThrownBy(() -> KclProperties.apply(file("kinesisEndpoint", "kinesis.example.internal"), builder))
                .hasMessage("kinesisEndpoint = 'kinesis.example.internal' is not a URL; allowed: https://host[:port]"
                        + " or http://host[:port]");
    }
}
