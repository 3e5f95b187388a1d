package io.shardwise.consumer;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The consumer's tables: created on-demand with one string hash key (safe when workers race), and read whole. */
final class DynamoTables {
    private DynamoTables() {
    }

    /**
     * Reads every item of {@code table} with consistent, paginated scans, each page retried by
     * {@code retry} and bounded by {@code timeout}.
     */
    static void scanAll(DynamoDbClient dynamo, String table, Duration timeout, CallRetry retry,
                        Consumer<Map<String, AttributeValue>> onItem) {
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true)
                    .overrideConfiguration(c -> c.apiCallTimeout(timeout));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse response = retry.call(() -> dynamo.scan(request.build()));
            response.items().forEach(onItem);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** Creates {@code table} when missing and waits until it is ACTIVE (at most 5 minutes). */
    static void createIfMissing(DynamoDbClient dynamo, String table, String hashKey) {
        try {
            if (dynamo.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
                return;
            }
        } catch (ResourceNotFoundException missing) {
            try {
                dynamo.createTable(b -> b.tableName(table)
                        .keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName(hashKey)
                                .attributeType(ScalarAttributeType.S).build())
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (ResourceInUseException createdByAnotherWorker) {
                // fine: wait for it below
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                if (dynamo.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
                    return;
                }
            } catch (ResourceNotFoundException notYetVisible) {
                // created a moment ago: keep waiting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " did not become ACTIVE within 5 minutes");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table, e);
            }
        }
    }
}
