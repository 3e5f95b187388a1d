package io.shardwise.kinesis;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;

/**
 * How Shardwise builds the SDK clients it owns, producer and consumer alike: pointed at a region, an
 * endpoint and credentials when given (else the SDK's default chains), then the user's customizer if
 * any, and last the SDK's retries off, because the library retries every call itself and the two must
 * never stack.
 */
public final class AwsClients {

    private AwsClients() {
    }

    /** Applies the region, the endpoint and the credentials that are given (non-null) to {@code builder}. */
    public static <B extends AwsClientBuilder<B, ?>> B target(B builder, Region region, URI endpoint,
                                                             AwsCredentialsProvider credentials) {
        if (region != null) {
            builder.region(region);
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder;
    }

    /** Turns the SDK's retries off, keeping every other override {@code builder} has (a user's customizer's too). */
    public static <B extends AwsClientBuilder<B, ?>> B withoutSdkRetries(B builder) {
        ClientOverrideConfiguration current = builder.overrideConfiguration();
        ClientOverrideConfiguration.Builder override = current == null
                ? ClientOverrideConfiguration.builder() : current.toBuilder();
        return builder.overrideConfiguration(override.retryStrategy(AwsRetryStrategy.doNotRetry()).build());
    }
}
