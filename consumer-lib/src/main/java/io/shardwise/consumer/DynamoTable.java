package io.shardwise.consumer;

import io.shardwise.kinesis.AwsErrorClassifier;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One of the consumer's DynamoDB tables (the lease table, the worker table): created on demand with
 * one string hash key (safe when workers race), read whole by consistent scans, and written with
 * calls that are each bounded by the call timeout, retried by one {@link CallRetry} and counted as
 * lease-table writes. A conditional write whose condition fails is a result (false or empty), not an
 * error.
 */
final class DynamoTable implements StoredTable {
    private final DynamoDbClient dynamo;
    private final String name;
    private final String hashKey;
    /** Bounds every call by the call timeout. */
    private final AwsRequestOverrideConfiguration timeout;
    private final ConsumerMetrics metrics;
    private final CallRetry retry;

    /** @param hashKey the name of the items' key attribute, a string */
    DynamoTable(DynamoDbClient dynamo, String name, String hashKey, Duration callTimeout, ConsumerMetrics metrics) {
        this.dynamo = dynamo;
        this.name = name;
        this.hashKey = hashKey;
        this.timeout = AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout).build();
        this.metrics = metrics;
        this.retry = new CallRetry(name, 4);
    }

    @Override
    public String name() {
        return name;
    }

    /** Reads every item with consistent, paginated scans, each page retried and bounded by the call timeout. */
    void scanAll(Consumer<Map<String, AttributeValue>> onItem) {
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(name).consistentRead(true)
                    .overrideConfiguration(timeout);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse response = retry.call(() -> dynamo.scan(request.build()));
            response.items().forEach(onItem);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** A consistent read of one item; empty when there is none. */
    Map<String, AttributeValue> get(String key) {
        Map<String, AttributeValue> item = retry.call(() -> dynamo.getItem(b -> b.tableName(name).consistentRead(true)
                .key(Map.of(hashKey, s(key))).overrideConfiguration(timeout))).item();
        return item == null ? Map.of() : item;
    }

    /** An update that has no condition, or whose condition failing is an error. */
    void update(Consumer<UpdateItemRequest.Builder> request) {
        retry.call(() -> dynamo.updateItem(b -> request.accept(b.tableName(name).overrideConfiguration(timeout))));
        metrics.leaseTableWrite();
    }

    void delete(String key) {
        retry.call(() -> dynamo.deleteItem(b -> b.tableName(name).key(Map.of(hashKey, s(key)))
                .overrideConfiguration(timeout)));
        metrics.leaseTableWrite();
    }

    /** A conditional update; false when its condition failed. */
    boolean updateIf(Consumer<UpdateItemRequest.Builder> request) {
        return writeIf(() -> dynamo.updateItem(b -> request.accept(b.tableName(name).overrideConfiguration(timeout))));
    }

    /** A conditional delete; false when its condition failed. */
    boolean deleteIf(Consumer<DeleteItemRequest.Builder> request) {
        return writeIf(() -> dynamo.deleteItem(b -> request.accept(b.tableName(name).overrideConfiguration(timeout))));
    }

    /** A conditional put; false when its condition failed. */
    boolean putIf(Consumer<PutItemRequest.Builder> request) {
        return writeIf(() -> dynamo.putItem(b -> request.accept(b.tableName(name).overrideConfiguration(timeout))));
    }

    private boolean writeIf(Supplier<?> call) {
        try {
            retry.call(call);
            metrics.leaseTableWrite();
            return true;
        } catch (ConditionalCheckFailedException conditionFailed) {
            return false;
        }
    }

    /**
     * A conditional write that must not be mistaken for a lost race: when an attempt's answer was lost
     * (a timeout, a dropped connection) it may have landed, and the retry then fails its condition;
     * {@code landedEarlier} reads the item to tell the two apart. Retried a few times, or for as long
     * as {@code keepTrying} says so when it is given.
     *
     * @return the attempt's result, or empty when the condition failed and no earlier attempt landed
     */
    <T> Optional<T> resolvedWrite(BooleanSupplier keepTrying, Supplier<T> attempt, Supplier<Optional<T>> landedEarlier) {
        boolean[] ambiguous = {false};
        Supplier<Optional<T>> once = () -> {
            try {
                T result = attempt.get();
                metrics.leaseTableWrite();
                return Optional.of(result);
            } catch (ConditionalCheckFailedException conditionFailed) {
                return ambiguous[0] ? landedEarlier.get() : Optional.<T>empty();
            } catch (RuntimeException e) {
                ambiguous[0] |= AwsErrorClassifier.retriable(e);
                throw e;
            }
        };
        return keepTrying == null ? retry.call(once) : retry.callWhile(keepTrying, once);
    }

    /** The client, for a write that sets its own timeout (see {@link #resolvedWrite}). */
    DynamoDbClient client() {
        return dynamo;
    }

    /** The override that bounds a call by the call timeout, for a request built elsewhere. */
    AwsRequestOverrideConfiguration timeout() {
        return timeout;
    }

    /** Creates {@code table} when missing and waits until it is ACTIVE (at most 5 minutes). */
    @Override
    public void createIfMissing() {
        String table = name;
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

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long number(Map<String, AttributeValue> item, String name, long whenMissing) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? whenMissing : Long.parseLong(v.n());
    }

    static Set<String> stringSet(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasSs() ? Set.of() : new HashSet<>(v.ss());
    }

    /** A map attribute of numbers (lease key -> bytes per second); empty when missing. */
    static Map<String, Long> numberMap(Map<String, AttributeValue> item, String name) {
        Map<String, Long> numbers = new java.util.HashMap<>();
        AttributeValue v = item.get(name);
        if (v != null && v.hasM()) {
            v.m().forEach((key, number) -> numbers.put(key, Long.parseLong(number.n())));
        }
        return numbers;
    }
}
