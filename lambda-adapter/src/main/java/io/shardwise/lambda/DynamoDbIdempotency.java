package io.shardwise.lambda;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Runs a side effect at most once per user record, for handlers whose records can be delivered
 * again (a replayed aggregate, {@link FailureMode#CONTINUE}, a retried invocation).
 *
 * <p>Before the effect it writes one DynamoDB item per record, keyed {@code id} = stream ARN,
 * shard id, sequence number and sub-sequence number, with a time to live in {@code expiresAt}
 * (epoch seconds, the table's TTL attribute). The write is conditional: it succeeds only when no
 * item exists or the existing one has expired ({@code attribute_not_exists(id) OR expiresAt <
 * now}: DynamoDB deletes expired items lazily, so the condition checks the time itself). When the
 * effect throws, the claim is deleted again so that the retry can run it. Choose a time to live
 * longer than the stream's retention (or the mapping's maximum record age) so that a late replay
 * still finds the item.
 *
 * <p>Needs {@code software.amazon.awssdk:dynamodb} (an optional dependency of this library).
 */
public final class DynamoDbIdempotency {

    static final String ID = "id";
    static final String EXPIRES_AT = "expiresAt";
    static final String CLAIM = "claim";

    /** The effect to guard. */
    @FunctionalInterface
    public interface Effect {
        void run() throws Exception;
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration timeToLive;
    private final Clock clock;

    private DynamoDbIdempotency(Builder builder) {
        this.client = builder.client;
        this.tableName = builder.tableName;
        this.timeToLive = builder.timeToLive;
        this.clock = builder.clock;
    }

    public static Builder builder(DynamoDbClient client, String tableName) {
        return new Builder(client, tableName);
    }

    /** Creates the table (on-demand) with TTL on {@code expiresAt}, and waits for it. For setup and tests. */
    public static void createTable(DynamoDbClient client, String tableName) {
        client.createTable(CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(ID)
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(ID).keyType(KeyType.HASH).build())
                .build());
        client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        client.updateTimeToLive(b -> b.tableName(tableName)
                .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
    }

    /**
     * Runs {@code effect} unless it already ran (or is running) for this record.
     *
     * @return true when the effect ran now, false when it was skipped as a repeat
     * @throws Exception what the effect threw (after releasing the claim)
     */
    public boolean runOnce(KinesisUserRecord record, Effect effect) throws Exception {
        String claim = UUID.randomUUID().toString();
        if (!tryClaim(record, claim)) {
            return false;
        }
        try {
            effect.run();
            return true;
        } catch (Exception | Error e) {
            release(record, claim);
            throw e;
        }
    }

    /** The item key of a record: unique per stream, shard, sequence and sub-sequence number. */
    static String idOf(KinesisUserRecord record) {
        return record.eventSourceArn() + '|' + record.shardId() + '|' + record.sequenceNumber()
                + '|' + record.subSequenceNumber();
    }

    private boolean tryClaim(KinesisUserRecord record, String claim) {
        long now = clock.instant().getEpochSecond();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, AttributeValue.fromS(idOf(record)));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(now + timeToLive.toSeconds())));
        item.put(CLAIM, AttributeValue.fromS(claim));
        try {
            client.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#id) OR #exp < :now")
                    .expressionAttributeNames(Map.of("#id", ID, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes the claim if it is still ours, so a retry of the failed effect may run. */
    private void release(KinesisUserRecord record, String claim) {
        try {
            client.deleteItem(b -> b.tableName(tableName).key(Map.of(ID, AttributeValue.fromS(idOf(record))))
                    .conditionExpression("#c = :c")
                    .expressionAttributeNames(Map.of("#c", CLAIM))
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(claim))));
        } catch (ConditionalCheckFailedException e) {
            // Someone else's claim replaced ours after it expired: leave theirs in place.
        }
    }

    /** Options of a {@link DynamoDbIdempotency}. */
    public static final class Builder {
        private final DynamoDbClient client;
        private final String tableName;
        private Duration timeToLive = Duration.ofDays(8);
        private Clock clock = Clock.systemUTC();

        private Builder(DynamoDbClient client, String tableName) {
            this.client = Objects.requireNonNull(client, "client");
            if (tableName == null || tableName.isBlank()) {
                throw new IllegalArgumentException("tableName must not be blank, was '" + tableName + "'");
            }
            this.tableName = tableName;
        }

        /**
         * How long a record's item guards it; default 8 days (longer than the 7-day maximum
         * retention of a stream). At least 1 second.
         */
        public Builder timeToLive(Duration timeToLive) {
            if (timeToLive == null || timeToLive.toSeconds() < 1) {
                throw new IllegalArgumentException("timeToLive must be at least 1 s, was " + timeToLive);
            }
            this.timeToLive = timeToLive;
            return this;
        }

        /** The clock for expiry times; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DynamoDbIdempotency build() {
            return new DynamoDbIdempotency(this);
        }
    }
}
