package io.shardwise.consumer;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Creates the consumer's tables: on-demand, one string hash key, safe when several workers race. */
final class DynamoTables {
    private DynamoTables() {
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
