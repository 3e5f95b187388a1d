package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;

/** The builder's vocabulary is the producer's; clients it builds follow the stream ARN's region. */
class ConsumerBuilderTest {
    private static final String ARN = "arn:aws:kinesis:ap-southeast-2:123456789012:stream/orders";

    @Test
    void aStreamArnSetsTheRegionOfBothClients_aCustomizerAddsToTheKinesisClientWithoutSdkRetries() {
        ExecutionInterceptor mine = new ExecutionInterceptor() { };
        ShardwiseConsumer consumer = base().stream(ARN)
                .customizeKinesisClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(mine)))
                .build();
        try {
            var kinesis = consumer.kinesisClient().serviceClientConfiguration();
            assertThat(kinesis.region()).isEqualTo(Region.AP_SOUTHEAST_2);
            assertThat(kinesis.overrideConfiguration().executionInterceptors()).contains(mine);
            assertThat(kinesis.overrideConfiguration().retryStrategy())
                    .hasValueSatisfying(r -> assertThat(r.maxAttempts()).isEqualTo(1));
            assertThat(consumer.dynamoDbClient().serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTHEAST_2);
        } finally {
            consumer.close();
        }
    }

    @Test
    void aRegionGivenWinsOverTheArns() {
        ShardwiseConsumer consumer = base().stream(ARN).region(Region.EU_WEST_1).build();
        try {
            assertThat(consumer.kinesisClient().serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
        } finally {
            consumer.close();
        }
    }

    @Test
    void optionsAreCheckedInBuildWithTheOptionTheValueAndWhatIsAllowed() {
        ShardwiseConsumer.Builder builder = base().stream("orders").maxRecords(20_000);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecords = 20000 is out of range; allowed: 1 .. 10000");
        assertThatThrownBy(() -> base().stream("orders").pollInterval(Duration.ofMillis(100)).build())
                .hasMessage("pollInterval = PT0.1S is out of range; allowed: >= 200 ms (5 GetRecords/s per shard)");
        assertThatThrownBy(() -> base().stream("orders").failoverTime(Duration.ZERO).build())
                .hasMessage("failoverTime = PT0S is out of range; allowed: > 0");
        assertThatThrownBy(() -> base().stream("orders").maxStealsPerRound(0).build())
                .hasMessage("maxStealsPerRound = 0 is out of range; allowed: >= 1");
        assertThatThrownBy(() -> base().stream("orders").failurePolicy(FailurePolicy.STOP_SHARD, 0).build())
                .hasMessage("maxProcessingAttempts = 0 is out of range; allowed: >= 1");
        assertThatThrownBy(() -> base().stream("orders").workerId("#lease-changes").build())
                .hasMessageStartingWith("workerId = '#lease-changes' is out of range; allowed: non-empty, not starting with '#'");
    }

    @Test
    void noStreamOrTwoAreRefusedWithTheOptionsNamed() {
        assertThatThrownBy(() -> base().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stream(nameOrArn)");
        assertThatThrownBy(() -> base().stream("arn:aws:kinesis:nowhere")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arn:aws:kinesis:nowhere");
    }

    private static ShardwiseConsumer.Builder base() {
        return ShardwiseConsumer.builder().applicationName("app").recordHandler(r -> { })
                .kinesisEndpoint(URI.create("http://localhost:1")).dynamoDbEndpoint(URI.create("http://localhost:2"))
                .credentialsProvider(AnonymousCredentialsProvider.create());
    }
}
