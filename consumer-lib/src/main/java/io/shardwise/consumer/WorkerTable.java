package io.shardwise.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The liveness table of a Shardwise fleet: one small item per worker ({@code workerId}, a
 * {@code counter} bumped by every heartbeat, and {@code throughput}: recent bytes per second of each
 * lease the worker holds). It lives apart from the lease table, as the KCL 3.x keeps its worker
 * metrics apart, so the lease table holds only leases: a KCL fleet that follows a Shardwise fleet,
 * after a graceful stop or a crash, reads nothing there it cannot parse. Reading it costs one small
 * scan of as many items as there are workers, whatever the number of leases.
 */
final class WorkerTable {
    static final String WORKER_ID = "workerId";
    static final String COUNTER = "counter";
    static final String THROUGHPUT = "throughput";
    /** Wall-clock time of the last heartbeat (epoch millis), for operators; liveness never reads clocks. */
    static final String HEARTBEAT_AT = "heartbeatAt";
    /** How many leases the worker held at its last heartbeat. */
    static final String LEASE_COUNT = "leaseCount";

    /** Counters and reported throughput of every worker with an item. */
    record Workers(Map<String, Long> counters, Map<String, Map<String, Long>> throughput) {
    }

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final Duration callTimeout;
    private final ConsumerMetrics metrics;
    private final CallRetry retry = new CallRetry("worker-table", 4);

    WorkerTable(DynamoDbClient dynamo, String tableName, Duration callTimeout, ConsumerMetrics metrics) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.callTimeout = callTimeout;
        this.metrics = metrics;
    }

    String name() {
        return tableName;
    }

    void createIfMissing() {
        DynamoTables.createIfMissing(dynamo, tableName, WORKER_ID);
    }

    private void timeout(AwsRequestOverrideConfiguration.Builder config) {
        config.apiCallTimeout(callTimeout);
    }

    /** A consistent scan of every worker's item. */
    Workers scan() {
        Map<String, Long> counters = new HashMap<>();
        Map<String, Map<String, Long>> throughput = new HashMap<>();
        DynamoTables.scanAll(dynamo, tableName, callTimeout, retry, item -> {
            String worker = item.get(WORKER_ID).s();
            counters.put(worker, number(item.get(COUNTER), 0));
            throughput.put(worker, rates(item.get(THROUGHPUT)));
        });
        return new Workers(counters, throughput);
    }

    /**
     * One heartbeat: bumps this worker's counter from {@code expected} (or creates the item) and
     * publishes its leases' recent throughput. Returns the new counter, or empty when another process
     * wrote the item (the same worker id twice). Retried within {@code timeout} only: a later beat is
     * worth nothing to the self-fence.
     */
    Optional<Long> heartbeat(String workerId, long expected, Map<String, Long> throughput, Duration timeout) {
        Map<String, AttributeValue> rates = new HashMap<>();
        throughput.forEach((lease, rate) -> rates.put(lease, n(rate)));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean[] ambiguous = {false};
        return retry.callWhile(() -> System.nanoTime() < deadline, () -> {
            Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
            try {
                Map<String, AttributeValue> attributes = dynamo.updateItem(b -> b.tableName(tableName)
                        .key(Map.of(WORKER_ID, s(workerId)))
                        .updateExpression("SET #c = :next, #t = :t, #at = :at, #n = :n")
                        .conditionExpression("attribute_not_exists(#c) OR #c = :c")
                        .expressionAttributeNames(Map.of("#c", COUNTER, "#t", THROUGHPUT, "#at", HEARTBEAT_AT,
                                "#n", LEASE_COUNT))
                        .expressionAttributeValues(Map.of(":next", n(expected + 1), ":c", n(expected),
                                ":t", AttributeValue.fromM(rates), ":at", n(System.currentTimeMillis()),
                                ":n", n(throughput.size())))
                        .returnValues(ReturnValue.ALL_NEW)
                        .overrideConfiguration(c -> c.apiCallTimeout(left))).attributes();
                metrics.leaseTableWrite();
                return Optional.of(number(attributes.get(COUNTER), expected + 1));
            } catch (ConditionalCheckFailedException otherWriter) {
                // After an attempt whose answer was lost, the item at expected + 1 is that attempt's write.
                if (ambiguous[0] && counter(workerId) == expected + 1) {
                    return Optional.of(expected + 1);
                }
                return Optional.<Long>empty();
            } catch (RuntimeException e) {
                ambiguous[0] |= CallRetry.retriable(e);
                throw e;
            }
        });
    }

    /** A worker's counter (0 when it has no item). */
    long counter(String workerId) {
        Map<String, AttributeValue> item = retry.call(() -> dynamo.getItem(b -> b.tableName(tableName)
                .consistentRead(true).key(Map.of(WORKER_ID, s(workerId))).overrideConfiguration(this::timeout)))
                .item();
        return item == null ? 0 : number(item.get(COUNTER), 0);
    }

    void delete(String workerId) {
        retry.call(() -> dynamo.deleteItem(b -> b.tableName(tableName).key(Map.of(WORKER_ID, s(workerId)))
                .overrideConfiguration(this::timeout)));
        metrics.leaseTableWrite();
    }

    private static Map<String, Long> rates(AttributeValue map) {
        Map<String, Long> rates = new HashMap<>();
        if (map != null && map.hasM()) {
            map.m().forEach((lease, rate) -> rates.put(lease, Long.parseLong(rate.n())));
        }
        return rates;
    }

    private static long number(AttributeValue value, long whenMissing) {
        return value == null || value.n() == null ? whenMissing : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
