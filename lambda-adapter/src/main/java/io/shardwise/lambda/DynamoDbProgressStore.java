package io.shardwise.lambda;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A {@link ProgressStore} in a DynamoDB table: one item per shard, hash key {@code
 * eventSourceArn}, range key {@code shardId}, holding the last fully processed user record as
 * {@code sequenceNumber} and {@code subSequenceNumber}. Writes are conditional and forward-only:
 * they succeed only when the new position is after the stored one, compared through the {@code
 * position} attribute, a zero-padded string whose order is the position order (sequence numbers
 * have up to 129 digits, more than a DynamoDB number holds).
 *
 * <p>Needs {@code software.amazon.awssdk:dynamodb} on the function's classpath (an optional
 * dependency of this library) and {@code dynamodb:GetItem} and {@code dynamodb:PutItem} on the
 * table. Reads are strongly consistent.
 */
public final class DynamoDbProgressStore implements ProgressStore {

    static final String ARN = "eventSourceArn";
    static final String SHARD = "shardId";
    static final String SEQUENCE = "sequenceNumber";
    static final String SUB_SEQUENCE = "subSequenceNumber";
    static final String POSITION = "position";
    static final String UPDATED = "updatedAtMillis";

    private final DynamoDbClient client;
    private final String tableName;
    private final Clock clock;

    private DynamoDbProgressStore(DynamoDbClient client, String tableName, Clock clock) {
        this.client = client;
        this.tableName = tableName;
        this.clock = clock;
    }

    /** A store in an existing table (see {@link #createTable}). */
    public static DynamoDbProgressStore of(DynamoDbClient client, String tableName) {
        Objects.requireNonNull(client, "client");
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("tableName must not be blank, was '" + tableName + "'");
        }
        return new DynamoDbProgressStore(client, tableName, Clock.systemUTC());
    }

    /** Creates the table (on-demand billing) and waits until it exists. For setup and tests. */
    public static void createTable(DynamoDbClient client, String tableName) {
        client.createTable(CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(ARN).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SHARD).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(ARN).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SHARD).keyType(KeyType.RANGE).build())
                .build());
        client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    }

    @Override
    public Optional<RecordPosition> load(String eventSourceArn, String shardId) {
        GetItemResponse response = client.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(key(eventSourceArn, shardId)));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new RecordPosition(item.get(SEQUENCE).s(), Long.parseLong(item.get(SUB_SEQUENCE).n())));
    }

    @Override
    public boolean save(String eventSourceArn, String shardId, RecordPosition position) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(eventSourceArn, shardId));
        item.put(SEQUENCE, AttributeValue.fromS(position.sequenceNumber()));
        item.put(SUB_SEQUENCE, AttributeValue.fromN(Long.toString(position.subSequenceNumber())));
        item.put(POSITION, AttributeValue.fromS(position.sortableKey()));
        item.put(UPDATED, AttributeValue.fromN(Long.toString(clock.millis())));
        try {
            client.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#p) OR #p < :p")
                    .expressionAttributeNames(Map.of("#p", POSITION))
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(position.sortableKey()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String eventSourceArn, String shardId) {
        return Map.of(ARN, AttributeValue.fromS(Objects.requireNonNull(eventSourceArn, "eventSourceArn")),
                SHARD, AttributeValue.fromS(Objects.requireNonNull(shardId, "shardId")));
    }
}
