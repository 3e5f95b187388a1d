package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** A KPL user's configuration file on the Shardwise producer: what maps, what is refused, what is reported. */
class KplPropertiesTest {

    private static Properties file(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void everyKeyWithAnEquivalentSetsItsOption() {
        KinesisProducer.Builder builder = KinesisProducer.builder().stream("s").client(new FakeKinesis(1));
        Map<String, String> notApplied = KplProperties.apply(file(
                "AggregationEnabled", "false", "AggregationMaxSize", "102400", "RecordMaxBufferedTime", "250",
                "RecordTtl", "60000", "RequestTimeout", "7000", "MaxConnections", "48", "Region", "eu-west-1",
                "KinesisEndpoint", "kinesis.example.internal", "KinesisPort", "4567", "RateLimit", "80",
                "MaxUserRecordSize", "2097152", "DescribeStreamSummaryIntervalMs", "30000"), builder);

        assertThat(notApplied).isEmpty();
        assertThat(builder.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(builder.endpoint()).isEqualTo(URI.create("https://kinesis.example.internal:4567"));
        try (KinesisProducer producer = builder.build()) {
            AccumulatorConfig config = producer.config().accumulator();
            assertThat(config.aggregation()).isFalse();
            assertThat(config.aggregationMaxBytes()).isEqualTo(102_400);
            assertThat(config.maxBufferedTime()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.recordTtl()).isEqualTo(Duration.ofSeconds(60));
            assertThat(producer.config().sender().requestTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(config.maxInFlightRequests()).isEqualTo(48);
            assertThat(config.shardRateLimitFraction()).isEqualTo(0.8);
            assertThat(producer.config().maxRecordBytes()).isEqualTo(2 * 1024 * 1024);
            assertThat(producer.config().sender().shardMapRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void keysWithNoEquivalentAreReportedWithTheReasonAndChangeNothing() {
        KinesisProducer.Builder builder = KinesisProducer.builder().stream("s").client(new FakeKinesis(1));
        Map<String, String> notApplied = KplProperties.apply(file("ThreadPoolSize", "8", "MetricsNamespace", "Orders",
                "VerifyCertificate", "false", "RateLimit", "150", "CollectionMaxCount", "500", "Colour", "blue"),
                builder);

        assertThat(notApplied).containsOnlyKeys("ThreadPoolSize", "MetricsNamespace", "VerifyCertificate", "RateLimit",
                "CollectionMaxCount", "Colour");
        assertThat(notApplied.get("ThreadPoolSize")).contains("no native daemon");
        assertThat(notApplied.get("MetricsNamespace")).contains("cloudwatch.namespace");
        assertThat(notApplied.get("Colour")).isEqualTo("not a KPL 1.x configuration key");
        try (KinesisProducer producer = builder.build()) {
            assertThat(producer.config().accumulator().shardRateLimitFraction()).as("the default adaptive ceiling").isEqualTo(1.0);
        }
    }

    @Test
    void metricsLevelAndGranularitySelectTheKplsMetricNames() {
        KinesisProducer.Builder builder = KinesisProducer.builder().stream("s");
        assertThat(builder.metricsNames()).isEqualTo(MetricsNames.SHARDWISE);
        Map<String, String> notApplied = KplProperties.apply(file("MetricsLevel", "summary", "MetricsGranularity", "stream"),
                builder);

        assertThat(notApplied).isEmpty();
        assertThat(builder.metricsNames()).isEqualTo(MetricsNames.KPL);
        assertThat(builder.metricsLevel()).isEqualTo(MetricsLevel.SUMMARY);
        assertThat(builder.metricsGranularity()).isEqualTo(MetricsGranularity.STREAM);
    }

    @Test
    void aMetricsLevelOrGranularityTheKplDoesNotKnowIsRefused() {
        KinesisProducer.Builder builder = KinesisProducer.builder().stream("s");
        assertThatThrownBy(() -> KplProperties.apply(file("MetricsLevel", "verbose"), builder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MetricsLevel = 'verbose' is not allowed; allowed: none, summary, detailed");
        assertThatThrownBy(() -> KplProperties.apply(file("MetricsGranularity", "partition"), builder))
                .hasMessage("MetricsGranularity = 'partition' is not allowed; allowed: global, stream, shard");
    }

    @Test
    void aValueOutsideTheKplsRangeIsRefusedWithKeyValueAndRange() {
        KinesisProducer.Builder builder = KinesisProducer.builder().stream("s");
        assertThatThrownBy(() -> KplProperties.apply(file("AggregationMaxSize", "10"), builder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AggregationMaxSize = 10 is out of range; allowed: 64 .. 10485760");
        assertThatThrownBy(() -> KplProperties.apply(file("RecordTtl", "thirty seconds"), builder))
                .hasMessage("RecordTtl = 'thirty seconds' is not an integer; allowed: 100 .. 9223372036854775807");
        assertThatThrownBy(() -> KplProperties.apply(file("AggregationEnabled", "yes"), builder))
                .hasMessage("AggregationEnabled = 'yes' is not a boolean; allowed: true, false");
        assertThatThrownBy(() -> KplProperties.apply(file("MaxConnections", "1000"), builder))
                .hasMessage("MaxConnections = 1000 is out of range; allowed: 1 .. 256");
    }
}
