package io.shardwise.testkit.faults;

import io.shardwise.testkit.ShardwiseTest;
import io.shardwise.testkit.engines.LocalEngines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryUtils;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The fault proxy in front of DynamoDB Local, seen through the real SDK v2 DynamoDB clients: each
 * fault is classified by the SDK as the real service's answer would be.
 */
@ShardwiseTest
class DynamoDbFaultProxyIT {

    private static final Map<String, AttributeValue> KEY = Map.of("leaseKey", AttributeValue.fromS("shard-1"));

    private String table;

    @BeforeEach
    void createTable(LocalEngines engines) {
        table = engines.uniqueName("faults");
        engines.dynamoDbClient().createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));
        engines.dynamoDbClient().putItem(b -> b.tableName(table).item(Map.of(
                "leaseKey", AttributeValue.fromS("shard-1"), "counter", AttributeValue.fromN("0"))));
    }

    @AfterEach
    void deleteTable(LocalEngines engines) {
        engines.dynamoDbClient().deleteTable(b -> b.tableName(table));
    }

    @Test
    void aThrottleIsAProvisionedThroughputExceededExceptionTheSdkSeesAsThrottling(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint()).throttleCalls("UpdateItem", 1.0).start();
             DynamoDbClient client = client(engines, proxy.endpoint(), AwsRetryStrategy.doNotRetry())) {
            assertThatThrownBy(() -> increment(client))
                    .isInstanceOf(ProvisionedThroughputExceededException.class)
                    .satisfies(e -> {
                        AwsServiceException error = (AwsServiceException) e;
                        assertThat(error.statusCode()).isEqualTo(400);
                        assertThat(error.isThrottlingException()).isTrue();
                        assertThat(RetryUtils.isThrottlingException(error)).isTrue();
                        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ProvisionedThroughputExceededException");
                        assertThat(error.awsErrorDetails().errorMessage()).contains("provisioned throughput");
                        var response = error.awsErrorDetails().sdkHttpResponse();
                        assertThat(response.firstMatchingHeader("Content-Type")).hasValue("application/x-amz-json-1.0");
                        assertThat(response.firstMatchingHeader("x-amz-crc32")).isPresent();
                        assertThat(response.firstMatchingHeader("x-amzn-RequestId")).isPresent();
                        assertThat(response.firstMatchingHeader("x-amzn-ErrorType")).isEmpty();
                    });
            // Only UpdateItem is throttled, and the throttled call never reached the table.
            assertThat(counter(client)).isEqualTo("0");
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_CALL, "UpdateItem")).isEqualTo(1);
            assertThat(proxy.counts().injected(FaultKind.THROTTLED_CALL, "GetItem")).isZero();
        }
    }

    @Test
    void theSdkRetriesAThrottleAsThrottling(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint()).throttleCalls("UpdateItem", 1.0).start();
             DynamoDbClient client = client(engines, proxy.endpoint(), threeQuickAttempts())) {
            assertThatThrownBy(() -> increment(client)).isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThat(proxy.counts().requests("UpdateItem")).isEqualTo(3);

            proxy.updateRules(r -> r.throttleCalls("UpdateItem", 0.0));
            increment(client);
            assertThat(counter(client)).isEqualTo("1");
        }
    }

    @Test
    void a500IsAnInternalServerErrorTheSdkRetries(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint()).serverErrors("GetItem", 1.0, 0.0).start();
             DynamoDbClient once = client(engines, proxy.endpoint(), AwsRetryStrategy.doNotRetry());
             DynamoDbClient retrying = client(engines, proxy.endpoint(), threeQuickAttempts())) {
            assertThatThrownBy(() -> counter(once))
                    .isInstanceOf(InternalServerErrorException.class)
                    .satisfies(e -> {
                        AwsServiceException error = (AwsServiceException) e;
                        assertThat(error.statusCode()).isEqualTo(500);
                        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
                        assertThat(error.isThrottlingException()).isFalse();
                    });
            assertThatThrownBy(() -> counter(retrying)).isInstanceOf(InternalServerErrorException.class);
            assertThat(proxy.counts().requests("GetItem")).isEqualTo(1 + 3);
            assertThat(proxy.counts().injected(FaultKind.SERVER_ERROR_500, "GetItem")).isEqualTo(4);
        }
    }

    @Test
    void a503IsAServiceUnavailableDynamoDbException(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint()).serverErrors("Scan", 0.0, 1.0).start();
             DynamoDbClient client = client(engines, proxy.endpoint(), AwsRetryStrategy.doNotRetry())) {
            assertThatThrownBy(() -> client.scan(b -> b.tableName(table)))
                    .isInstanceOf(DynamoDbException.class)
                    .satisfies(e -> {
                        DynamoDbException error = (DynamoDbException) e;
                        assertThat(error.statusCode()).isEqualTo(503);
                        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    });
            assertThat(client.query(b -> b.tableName(table).keyConditionExpression("leaseKey = :k")
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("shard-1")))).count()).isEqualTo(1);
        }
    }

    @Test
    void latencyCanBeTurnedOnAndOffForOneOperationWhileRunning(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint()).start();
             DynamoDbClient client = client(engines, proxy.endpoint(), AwsRetryStrategy.doNotRetry())) {
            counter(client);
            proxy.updateRules(r -> r.latency("GetItem", Duration.ofMillis(300)));
            long start = System.nanoTime();
            counter(client);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            increment(client);
            proxy.updateRules(r -> r.latency("GetItem", Duration.ZERO));
            assertThat(counter(client)).isEqualTo("1");

            FaultCounts counts = proxy.counts();
            assertThat(counts.injected(FaultKind.LATENCY, "GetItem")).isEqualTo(1);
            assertThat(counts.injected(FaultKind.LATENCY, "UpdateItem")).isZero();
            assertThat(counts.requests("GetItem")).isEqualTo(3);
        }
    }

    @Test
    void aStallOfOneOperationHoldsItsCallsWhileOthersPass(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint()).start();
             DynamoDbAsyncClient async = asyncClient(engines, proxy.endpoint());
             DynamoDbClient client = client(engines, proxy.endpoint(), AwsRetryStrategy.doNotRetry())) {
            proxy.setStalled("UpdateItem", true);
            assertThat(proxy.isStalled("DynamoDB_20120810.UpdateItem")).isTrue();
            CompletableFuture<?> update = async.updateItem(b -> b.tableName(table).key(KEY)
                    .updateExpression("SET #c = #c + :one").expressionAttributeNames(Map.of("#c", "counter"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> proxy.counts().injected(FaultKind.STALLED, "UpdateItem") == 1);

            assertThat(counter(client)).isEqualTo("0");
            assertThat(update).isNotDone();
            proxy.setStalled("UpdateItem", false);
            update.join();
            assertThat(counter(client)).isEqualTo("1");
        }
    }

    @Test
    void aThrottlingStallThrottlesDynamoDbCallsTheDynamoDbWay(LocalEngines engines) {
        try (FaultProxy proxy = FaultProxy.builder(engines.dynamoDbEndpoint())
                .stallMode(FaultProxy.StallMode.THROTTLE).start();
             DynamoDbClient client = client(engines, proxy.endpoint(), AwsRetryStrategy.doNotRetry())) {
            proxy.setStalled("GetItem", true);
            assertThatThrownBy(() -> counter(client)).isInstanceOf(ProvisionedThroughputExceededException.class)
                    .satisfies(e -> assertThat(((AwsServiceException) e).isThrottlingException()).isTrue());
            increment(client);
            proxy.setStalled("GetItem", false);
            assertThat(counter(client)).isEqualTo("1");
        }
    }

    private void increment(DynamoDbClient client) {
        client.updateItem(b -> b.tableName(table).key(KEY).updateExpression("SET #c = #c + :one")
                .expressionAttributeNames(Map.of("#c", "counter"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private String counter(DynamoDbClient client) {
        return client.getItem(b -> b.tableName(table).key(KEY).consistentRead(true)).item().get("counter").n();
    }

    /** The standard strategy at three attempts, without waiting between them. */
    private static RetryStrategy threeQuickAttempts() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3)
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                .circuitBreakerEnabled(false).build();
    }

    private static DynamoDbClient client(LocalEngines engines, URI endpoint, RetryStrategy retries) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(engines.region())
                .credentialsProvider(engines.credentials()).httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retries)).build();
    }

    private static DynamoDbAsyncClient asyncClient(LocalEngines engines, URI endpoint) {
        return DynamoDbAsyncClient.builder().endpointOverride(endpoint).region(engines.region())
                .credentialsProvider(engines.credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
