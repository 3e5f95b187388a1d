package io.shardwise.lambda;

import static io.shardwise.lambda.DynamoDbTables.EXPIRES_AT;
import static io.shardwise.lambda.DynamoDbTables.ID;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * A {@link ProgressStore} in a DynamoDB table: one item per consumer and aggregate that an
 * invocation left half done, hash key {@code id} ({@link AggregateKey#asString()}: consumer, stream
 * ARN, shard id and sequence number), holding the last finished sub-record as {@code
 * subSequenceNumber} beside the key's parts ({@code consumerId}, {@code eventSourceArn}, {@code
 * shardId}, {@code sequenceNumber}), {@code updatedAtMillis} and {@code expiresAt} (epoch seconds,
 * the table's TTL attribute, so DynamoDB removes items once no replay can need them). Writes are
 * conditional and forward-only: {@code attribute_not_exists(id) OR subSequenceNumber < :new}.
 *
 * <p>Needs {@code software.amazon.awssdk:dynamodb} on the function's classpath (an optional
 * dependency of this library) and {@code dynamodb:GetItem} and {@code dynamodb:PutItem} on the
 * table. Reads are strongly consistent.
 */
public final class DynamoDbProgressStore implements ProgressStore {

    static final String CONSUMER = "consumerId";
    static final String ARN = "eventSourceArn";
    static final String SHARD = "shardId";
    static final String SEQUENCE = "sequenceNumber";
    static final String SUB_SEQUENCE = "subSequenceNumber";
    static final String UPDATED = "updatedAtMillis";

    /** Longer than the largest MaximumRecordAgeInSeconds (7 days) a mapping can replay within. */
    static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofDays(8);

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration timeToLive;
    private final Clock clock;

    private DynamoDbProgressStore(DynamoDbClient client, String tableName, Duration timeToLive, Clock clock) {
        this.client = client;
        this.tableName = tableName;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    /** A store in an existing table (see {@link #createTable}); items live 8 days. */
    public static DynamoDbProgressStore of(DynamoDbClient client, String tableName) {
        return of(client, tableName, DEFAULT_TIME_TO_LIVE);
    }

    /**
     * A store whose items live {@code timeToLive} after their last write: choose it longer than
     * the time within which Lambda may still replay an aggregate (the mapping's maximum record
     * age, or the stream's retention when retries are unlimited). At least 1 second.
     */
    public static DynamoDbProgressStore of(DynamoDbClient client, String tableName, Duration timeToLive) {
        Objects.requireNonNull(client, "client");
        return new DynamoDbProgressStore(client, DynamoDbTables.requireTableName(tableName),
                DynamoDbTables.requireAtLeastOneSecond("timeToLive", timeToLive), Clock.systemUTC());
    }

    /** Creates the table (on-demand billing) with TTL on {@code expiresAt}, and waits for it. For setup and tests. */
    public static void createTable(DynamoDbClient client, String tableName) {
        DynamoDbTables.create(client, tableName);
    }

    @Override
    public OptionalLong load(AggregateKey aggregate) {
        GetItemResponse response;
        try {
            response = client.getItem(b -> b.tableName(tableName).consistentRead(true).key(key(aggregate)));
        } catch (AwsServiceException e) {
            throw explainOldSchema(e);
        }
        if (!response.hasItem() || response.item().isEmpty()) {
            return OptionalLong.empty();
        }
        AttributeValue expiresAt = response.item().get(EXPIRES_AT);
        if (expiresAt != null && Long.parseLong(expiresAt.n()) < Math.floorDiv(clock.millis(), 1000)) {
            return OptionalLong.empty(); // expired; DynamoDB deletes expired items lazily
        }
        return OptionalLong.of(Long.parseLong(response.item().get(SUB_SEQUENCE).n()));
    }

    @Override
    public boolean save(AggregateKey aggregate, long lastFinishedSubSequenceNumber) {
        long now = clock.millis();
        Map<String, AttributeValue> item = new HashMap<>(key(aggregate));
        item.put(CONSUMER, AttributeValue.fromS(aggregate.consumerId()));
        item.put(ARN, AttributeValue.fromS(aggregate.eventSourceArn()));
        item.put(SHARD, AttributeValue.fromS(aggregate.shardId()));
        item.put(SEQUENCE, AttributeValue.fromS(aggregate.sequenceNumber()));
        item.put(SUB_SEQUENCE, AttributeValue.fromN(Long.toString(lastFinishedSubSequenceNumber)));
        item.put(UPDATED, AttributeValue.fromN(Long.toString(now)));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(Math.floorDiv(now, 1000) + timeToLive.toSeconds())));
        try {
            client.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#id) OR #sub < :sub")
                    .expressionAttributeNames(Map.of("#id", ID, "#sub", SUB_SEQUENCE))
                    .expressionAttributeValues(Map.of(":sub",
                            AttributeValue.fromN(Long.toString(lastFinishedSubSequenceNumber)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (AwsServiceException e) {
            throw explainOldSchema(e);
        }
    }

    /**
     * A key the table rejects (AWS: "The provided key element does not match the schema"; DynamoDB
     * Local: "The number of conditions on the keys is invalid") most likely means a table made for
     * the per-shard progress of an earlier version: say so, and how to fix it.
     */
    private RuntimeException explainOldSchema(AwsServiceException e) {
        if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
            return new IllegalStateException("progress table " + tableName + " rejected the key {" + ID
                    + " (S)}: " + e.awsErrorDetails().errorMessage() + ". A table made for the per-shard progress of"
                    + " earlier Shardwise versions (keys eventSourceArn, shardId) cannot hold progress per aggregate:"
                    + " create a new table with DynamoDbProgressStore.createTable", e);
        }
        return e;
    }

    private static Map<String, AttributeValue> key(AggregateKey aggregate) {
        return Map.of(ID, AttributeValue.fromS(Objects.requireNonNull(aggregate, "aggregate").asString()));
    }
}
