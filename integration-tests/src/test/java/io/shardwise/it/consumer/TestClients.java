package io.shardwise.it.consumer;

import io.shardwise.testkit.engines.LocalEngines;

import java.net.URI;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client as the consumer's documentation asks users to give it: with the SDK's own
 * retries off, so only the consumer's retry policy runs (the SDK's throttling backoff of half a
 * second and more would otherwise stack under it).
 */
final class TestClients {
    private TestClients() {
    }

    static DynamoDbClient dynamoWithoutSdkRetries(LocalEngines engines, URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(engines.region())
                .credentialsProvider(engines.credentials()).httpClient(ApacheHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
