package io.shardwise.lambda;

import static io.shardwise.lambda.DynamoDbTables.EXPIRES_AT;
import static io.shardwise.lambda.DynamoDbTables.ID;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Runs a side effect at most once per user record, for handlers whose records can be delivered
 * again (a replayed aggregate, {@link FailureMode#CONTINUE}, a retried invocation).
 *
 * <p>Before the effect it writes one DynamoDB item per record, keyed {@code id} = stream ARN,
 * shard id, sequence number and sub-sequence number, as an <em>in-progress claim</em>: {@code
 * status} {@code IN_PROGRESS} with {@code inProgressUntilMillis}, the end of the invocation's
 * remaining time ({@link Context#getRemainingTimeInMillis()}). When the effect returns, the item
 * becomes {@code COMPLETED} and guards the record for the time to live ({@code expiresAt}, epoch
 * seconds, the table's TTL attribute). This is the rule of Powertools for AWS Lambda's idempotency
 * utility: an invocation that timed out or crashed inside the effect leaves a claim that expires
 * with its own time, so Lambda's retry runs the effect instead of skipping the record for days.
 *
 * <ul>
 *   <li>no item, an expired item, or an in-progress claim past its invocation's end: the claim is
 *       taken (a conditional write) and the effect runs;</li>
 *   <li>a completed item within its time to live: the effect is skipped ({@code runOnce} returns
 *       false);</li>
 *   <li>an in-progress claim of an invocation still running: {@link IdempotencyInProgressException}
 *       is thrown, so the record fails and Lambda retries it later, never counting it done.</li>
 * </ul>
 *
 * <p>When the effect throws, the claim is deleted again so that the retry can run it. When the
 * effect returned but marking the item completed fails (a throttled write), that error is thrown:
 * the record fails, and the retry runs the effect again once the claim has expired. DynamoDB
 * deletes expired items lazily, so the conditions compare the times themselves. Choose a time to
 * live longer than the time within which a record can be delivered again (the mapping's maximum
 * record age, or the stream's retention).
 *
 * <p>Needs {@code software.amazon.awssdk:dynamodb} (an optional dependency of this library) and
 * {@code dynamodb:PutItem}, {@code dynamodb:UpdateItem} and {@code dynamodb:DeleteItem} on the table.
 */
public final class DynamoDbIdempotency {

    static final String CLAIM = "claim";
    static final String STATUS = "status";
    static final String IN_PROGRESS_UNTIL = "inProgressUntilMillis";
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";

    /** Lambda's maximum function timeout: how long a claim made without a context stays in progress. */
    static final Duration DEFAULT_IN_PROGRESS_TIMEOUT = Duration.ofMinutes(15);

    /** The effect to guard. */
    @FunctionalInterface
    public interface Effect {
        void run() throws Exception;
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration timeToLive;
    private final Duration inProgressTimeout;
    private final Clock clock;

    private DynamoDbIdempotency(Builder builder) {
        this.client = builder.client;
        this.tableName = builder.tableName;
        this.timeToLive = builder.timeToLive;
        this.inProgressTimeout = builder.inProgressTimeout;
        this.clock = builder.clock;
    }

    public static Builder builder(DynamoDbClient client, String tableName) {
        return new Builder(client, tableName);
    }

    /** Creates the table (on-demand) with TTL on {@code expiresAt}, and waits for it. For setup and tests. */
    public static void createTable(DynamoDbClient client, String tableName) {
        DynamoDbTables.create(client, tableName);
    }

    /**
     * Runs {@code effect} unless it already ran for this record. The in-progress claim expires
     * when the invocation's remaining time runs out.
     *
     * @param context the invocation's context: its remaining time bounds the claim; when null,
     *     the claim stays in progress for {@link Builder#inProgressTimeout} (default 15 minutes)
     * @return true when the effect ran now, false when it was skipped as a repeat
     * @throws IdempotencyInProgressException when another invocation still holds the record
     * @throws Exception what the effect threw (after releasing the claim)
     */
    public boolean runOnce(KinesisUserRecord record, Context context, Effect effect) throws Exception {
        String claim = UUID.randomUUID().toString();
        long nowMillis = clock.millis();
        long inProgressFor = inProgressTimeout.toMillis();
        if (context != null && context.getRemainingTimeInMillis() > 0) {
            inProgressFor = context.getRemainingTimeInMillis();
        }
        if (!tryClaim(record, claim, nowMillis, nowMillis + inProgressFor)) {
            return false;
        }
        try {
            effect.run();
        } catch (Exception | Error e) {
            release(record, claim);
            throw e;
        }
        complete(record, claim);
        return true;
    }

    /**
     * Runs {@code effect} unless it already ran for this record, without the invocation's context:
     * the in-progress claim lasts {@link Builder#inProgressTimeout} (default 15 minutes, Lambda's
     * maximum timeout). Prefer {@link #runOnce(KinesisUserRecord, Context, Effect)}.
     */
    public boolean runOnce(KinesisUserRecord record, Effect effect) throws Exception {
        return runOnce(record, null, effect);
    }

    /** The item key of a record: unique per stream, shard, sequence and sub-sequence number. */
    static String idOf(KinesisUserRecord record) {
        return record.eventSourceArn() + '|' + record.shardId() + '|' + record.sequenceNumber()
                + '|' + record.subSequenceNumber();
    }

    private boolean tryClaim(KinesisUserRecord record, String claim, long nowMillis, long inProgressUntil) {
        long nowSeconds = Math.floorDiv(nowMillis, 1000);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, AttributeValue.fromS(idOf(record)));
        item.put(STATUS, AttributeValue.fromS(IN_PROGRESS));
        item.put(IN_PROGRESS_UNTIL, AttributeValue.fromN(Long.toString(inProgressUntil)));
        // The TTL attribute also covers the claim, so DynamoDB eventually removes abandoned ones.
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(nowSeconds + timeToLive.toSeconds())));
        item.put(CLAIM, AttributeValue.fromS(claim));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", AttributeValue.fromN(Long.toString(nowSeconds)));
        values.put(":nowMillis", AttributeValue.fromN(Long.toString(nowMillis)));
        values.put(":inProgress", AttributeValue.fromS(IN_PROGRESS));
        try {
            client.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#id) OR #exp < :now"
                            + " OR (#st = :inProgress AND #until < :nowMillis)")
                    .expressionAttributeNames(Map.of("#id", ID, "#exp", EXPIRES_AT, "#st", STATUS,
                            "#until", IN_PROGRESS_UNTIL))
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = e.hasItem() ? e.item() : Map.of();
            AttributeValue status = existing.get(STATUS);
            if (status != null && IN_PROGRESS.equals(status.s())) {
                AttributeValue until = existing.get(IN_PROGRESS_UNTIL);
                throw new IdempotencyInProgressException("record " + record.shardId() + " " + record.position()
                        + " is in progress in another invocation until "
                        + (until == null ? "?" : java.time.Instant.ofEpochMilli(Long.parseLong(until.n())))
                        + "; failing it so that Lambda retries it after that invocation completed or timed out");
            }
            return false; // completed (items of earlier versions carry no status: treated as completed)
        }
    }

    /** Marks our claim completed; a claim taken over after ours expired is left alone. */
    private void complete(KinesisUserRecord record, String claim) {
        long expiresAt = Math.floorDiv(clock.millis(), 1000) + timeToLive.toSeconds();
        try {
            client.updateItem(b -> b.tableName(tableName).key(Map.of(ID, AttributeValue.fromS(idOf(record))))
                    .updateExpression("SET #st = :completed, #exp = :exp REMOVE #until")
                    .conditionExpression("#c = :c")
                    .expressionAttributeNames(Map.of("#st", STATUS, "#exp", EXPIRES_AT, "#until", IN_PROGRESS_UNTIL,
                            "#c", CLAIM))
                    .expressionAttributeValues(Map.of(":completed", AttributeValue.fromS(COMPLETED),
                            ":exp", AttributeValue.fromN(Long.toString(expiresAt)),
                            ":c", AttributeValue.fromS(claim))));
        } catch (ConditionalCheckFailedException e) {
            // Our claim expired and another invocation took the record over: it completes it.
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
        private Duration inProgressTimeout = DEFAULT_IN_PROGRESS_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder(DynamoDbClient client, String tableName) {
            this.client = Objects.requireNonNull(client, "client");
            this.tableName = DynamoDbTables.requireTableName(tableName);
        }

        /**
         * How long a completed record's item guards it; default 8 days (longer than the largest
         * MaximumRecordAgeInSeconds of a mapping, 7 days). At least 1 second.
         */
        public Builder timeToLive(Duration timeToLive) {
            this.timeToLive = DynamoDbTables.requireAtLeastOneSecond("timeToLive", timeToLive);
            return this;
        }

        /**
         * How long a claim stays in progress when {@code runOnce} is called without a context;
         * default 15 minutes (Lambda's maximum function timeout). With a context, the invocation's
         * remaining time is used instead. At least 1 second.
         */
        public Builder inProgressTimeout(Duration timeout) {
            this.inProgressTimeout = DynamoDbTables.requireAtLeastOneSecond("inProgressTimeout", timeout);
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
