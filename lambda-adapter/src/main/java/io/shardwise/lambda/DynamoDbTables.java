package io.shardwise.lambda;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What the tables of {@link DynamoDbProgressStore} and {@link DynamoDbIdempotency} have in common:
 * a string hash key {@code id}, on-demand billing and a time to live on {@code expiresAt} (epoch
 * seconds), and the checks of their options.
 */
final class DynamoDbTables {

    static final String ID = "id";
    static final String EXPIRES_AT = "expiresAt";

    private DynamoDbTables() {
    }

    /** Creates the table (on-demand) with TTL on {@code expiresAt}, and waits for it. */
    static void create(DynamoDbClient client, String tableName) {
        client.createTable(CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(ID).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build())
                .build());
        client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        client.updateTimeToLive(b -> b.tableName(tableName)
                .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
    }

    static String requireTableName(String tableName) {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("tableName must not be blank, was '" + tableName + "'");
        }
        return tableName;
    }

    /** {@code value}, when it is at least one second; {@code name} is the option's name for the error. */
    static Duration requireAtLeastOneSecond(String name, Duration value) {
        if (value == null || value.toSeconds() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 s, was " + value);
        }
        return value;
    }
}
