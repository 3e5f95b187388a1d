package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The client a producer builds keeps the fast path and the producer's retries whatever its customizer did. */
class ProducerClientTest {
    private static final class CallerInterceptor implements ExecutionInterceptor {}

    @Test
    void aCustomizerAddsToTheClientAndCannotTurnOffTheFastPathOrTurnOnSdkRetries() {
        CallerInterceptor mine = new CallerInterceptor();
        try (KinesisAsyncClient client = ProducerClient.build(Region.EU_WEST_1, URI.create("http://localhost:1"), null, 64,
                b -> b.credentialsProvider(AnonymousCredentialsProvider.create()).region(Region.US_EAST_2)
                        // Replaces the whole override configuration, as the SDK's builder does.
                        .overrideConfiguration(o -> o.addExecutionInterceptor(mine)
                                .retryStrategy(AwsRetryStrategy.standardRetryStrategy())))) {
            ClientOverrideConfiguration override = client.serviceClientConfiguration().overrideConfiguration();
            assertThat(override.executionInterceptors()).contains(mine)
                    .anyMatch(i -> i instanceof PutRecordsBodyInterceptor);
            assertThat(override.retryStrategy()).hasValueSatisfying(r -> assertThat(r.maxAttempts()).isEqualTo(1));
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_2);
            assertThat(client.serviceClientConfiguration().credentialsProvider()).isInstanceOf(AnonymousCredentialsProvider.class);
        }
    }

    @Test
    void aClientWithoutACustomizerHasTheBodyInterceptorAndNoSdkRetries() {
        try (KinesisAsyncClient client = ProducerClient.build(Region.EU_WEST_1, URI.create("http://localhost:1"),
                AnonymousCredentialsProvider.create(), 64, null)) {
            ClientOverrideConfiguration override = client.serviceClientConfiguration().overrideConfiguration();
            assertThat(override.executionInterceptors()).anyMatch(i -> i instanceof PutRecordsBodyInterceptor);
            assertThat(override.retryStrategy()).hasValueSatisfying(r -> assertThat(r.maxAttempts()).isEqualTo(1));
        }
    }

    @Test
    void aCustomizerAndAFinishedClientTogetherAreRefused() {
        try (FakeKinesis kinesis = new FakeKinesis(1)) {
            assertThatThrownBy(() -> KinesisProducer.builder().stream("s").client(kinesis).customizeKinesisClient(b -> {}).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("customizeKinesisClient");
        }
    }
}
