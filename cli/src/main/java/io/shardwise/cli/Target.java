package io.shardwise.cli;

import io.shardwise.kinesis.AwsClients;
import io.shardwise.testkit.engines.LocalEngines;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Where a command sends its calls: AWS itself (region, default credential chain), an endpoint such
 * as LocalStack or {@code shardwise local}, or the embedded engines. Endpoints null mean AWS's own.
 */
record Target(Region region, URI kinesisEndpoint, URI dynamoDbEndpoint, AwsCredentialsProvider credentials,
              String description) {

    static final String KINESIS_ENV = "SHARDWISE_KINESIS_ENDPOINT";
    static final String DYNAMODB_ENV = "SHARDWISE_DYNAMODB_ENDPOINT";

    /** The embedded (or environment-chosen) engines of the test kit. */
    static Target of(LocalEngines engines) {
        return new Target(engines.region(), engines.kinesisEndpoint(), engines.dynamoDbEndpoint(),
                engines.credentials(), "local engines (Kinesis " + engines.kinesisEndpoint() + ", DynamoDB "
                        + engines.dynamoDbEndpoint() + ")");
    }

    /**
     * What the options and the environment ask for, in this order: {@code --region}/{@code --endpoint};
     * the {@code SHARDWISE_*_ENDPOINT} variables; null when neither is given (the caller decides:
     * start the embedded engines, or explain that an endpoint is needed).
     */
    static Target chosen(ConnectionOptions options, Map<String, String> env) {
        if (options.region != null || options.endpoint != null) {
            URI dynamo = options.dynamoDbEndpoint != null ? options.dynamoDbEndpoint : options.endpoint;
            Region region = options.region != null ? Region.of(options.region) : regionOrDefault();
            String where = options.endpoint == null ? "AWS " + region.id()
                    : options.endpoint + " (" + region.id() + ")";
            return new Target(region, options.endpoint, dynamo, credentials(options.endpoint != null), where);
        }
        String kinesis = env.get(KINESIS_ENV);
        if (kinesis != null && !kinesis.isBlank()) {
            URI kinesisUri = uri(KINESIS_ENV, kinesis);
            String dynamo = env.get(DYNAMODB_ENV);
            URI dynamoUri = dynamo == null || dynamo.isBlank() ? kinesisUri : uri(DYNAMODB_ENV, dynamo);
            return new Target(Region.US_EAST_1, kinesisUri, dynamoUri, credentials(true),
                    kinesisUri + " (from " + KINESIS_ENV + ")");
        }
        return null;
    }

    /** The target, or a one-line error naming the ways to give one. */
    static Target required(ConnectionOptions options, Map<String, String> env, String command) {
        Target target = chosen(options, env);
        if (target == null) {
            throw new CliException(command + " needs a Kinesis endpoint: start one with 'shardwise local' and set "
                    + KINESIS_ENV + " as it prints, or pass --endpoint URL (LocalStack: http://127.0.0.1:4566) or"
                    + " --region REGION (AWS)");
        }
        return target;
    }

    /** For the producer, which retries every call itself: the SDK's retries are off, so the two never stack. */
    KinesisAsyncClient kinesisAsyncClient() {
        return pointed(AwsClients.withoutSdkRetries(KinesisAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())), kinesisEndpoint);
    }

    KinesisClient kinesisClient() {
        return pointed(KinesisClient.builder().httpClientBuilder(ApacheHttpClient.builder()), kinesisEndpoint);
    }

    DynamoDbClient dynamoDbClient() {
        return pointed(DynamoDbClient.builder().httpClientBuilder(ApacheHttpClient.builder()), dynamoDbEndpoint);
    }

    /** A client of this target's region and credentials, at {@code endpoint} (null: the service's own). */
    private <B extends AwsClientBuilder<B, C>, C> C pointed(B builder, URI endpoint) {
        return AwsClients.target(builder, region, endpoint, credentials).build();
    }

    private static Region regionOrDefault() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }

    /**
     * The default chain; for a local endpoint (LocalStack, shardwise local) that accepts any key,
     * fixed test credentials when the chain finds none, so no setup is needed.
     */
    private static AwsCredentialsProvider credentials(boolean localFallback) {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        if (!localFallback) {
            return chain;
        }
        try {
            chain.resolveCredentials();
            return chain;
        } catch (SdkClientException none) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("shardwise", "shardwise"));
        }
    }

    private static URI uri(String variable, String value) {
        try {
            URI uri = URI.create(value.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(variable + "=" + value + " is not a URL like http://127.0.0.1:4566");
        }
    }
}
