package io.shardwise.consumer;

import static io.shardwise.consumer.DynamoTable.n;
import static io.shardwise.consumer.DynamoTable.number;
import static io.shardwise.consumer.DynamoTable.numberMap;
import static io.shardwise.consumer.DynamoTable.s;
import static io.shardwise.consumer.DynamoTable.stringSet;
import static io.shardwise.consumer.WorkerSchema.CHANGES;
import static io.shardwise.consumer.WorkerSchema.COUNTER;
import static io.shardwise.consumer.WorkerSchema.HANDOFF_REQUESTS;
import static io.shardwise.consumer.WorkerSchema.HEARTBEAT_AT;
import static io.shardwise.consumer.WorkerSchema.LEASE_CHANGES_ITEM;
import static io.shardwise.consumer.WorkerSchema.LEASE_COUNT;
import static io.shardwise.consumer.WorkerSchema.LOAD;
import static io.shardwise.consumer.WorkerSchema.THROUGHPUT;
import static io.shardwise.consumer.WorkerSchema.WORKER_ID;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The liveness table of a Shardwise fleet: one small item per worker, read by every worker every
 * lease round. It lives apart from the lease table, as the KCL 3.x keeps its worker metrics apart,
 * so the lease table holds only leases: a KCL fleet that follows a Shardwise fleet, after a graceful
 * stop or a crash, reads nothing there it cannot parse.
 *
 * <p>A worker's item: {@code workerId}; a {@code counter} bumped by every heartbeat; for operators,
 * {@code heartbeatAt} (epoch millis); for the balancer, {@code leaseCount}, {@code load} (recent
 * bytes per second of all its leases) and {@code throughput} (the rates of its hottest leases only,
 * so the item stays small whatever the number of leases); and {@code handoffRequests}, lease keys
 * other workers asked it to hand over (a doorbell: the request itself is written on the lease).
 *
 * <p>One more item, {@link WorkerSchema#LEASE_CHANGES_ITEM}, counts changes to the set of workable leases
 * (leases created or deleted, shards finished): a worker scans the lease table when the count moved,
 * and otherwise only at a slow cadence. Reading this table costs one scan of as many small items as
 * there are workers, whatever the number of leases.
 */
final class WorkerTable extends DynamoStore implements WorkerStore {
    /** How many per-lease rates a heartbeat publishes: the hottest leases, which the balancer moves. */
    static final int HOT_LEASES = 8;

    WorkerTable(DynamoDbClient dynamo, String tableName, Duration callTimeout, ConsumerMetrics metrics) {
        super(new DynamoTable(dynamo, tableName, WORKER_ID, callTimeout, metrics));
    }

    /** A consistent scan of every worker's item. */
    @Override
    public Workers scan() {
        Map<String, WorkerItem> items = new HashMap<>();
        long[] changes = {0};
        table.scanAll(item -> {
            String worker = item.get(WORKER_ID).s();
            if (worker.equals(LEASE_CHANGES_ITEM)) {
                changes[0] = number(item, CHANGES, 0);
            } else if (!worker.startsWith("#")) {
                items.put(worker, new WorkerItem(number(item, COUNTER, 0), (int) number(item, LEASE_COUNT, 0),
                        number(item, LOAD, 0), numberMap(item, THROUGHPUT), Set.copyOf(stringSet(item, HANDOFF_REQUESTS))));
            }
        });
        return new Workers(items, changes[0]);
    }

    /** Tells every worker that the set of workable leases changed (they scan the lease table next round). */
    @Override
    public void announceLeaseChange() {
        table.update(b -> b.key(Map.of(WORKER_ID, s(LEASE_CHANGES_ITEM)))
                .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", CHANGES))
                .expressionAttributeValues(Map.of(":one", n(1))));
    }

    /**
     * Rings {@code owner}'s doorbell for a handoff request already written on the lease, so the owner
     * reads that one lease next round instead of scanning the table. False when the owner has no item.
     */
    @Override
    public boolean requestHandoff(String owner, String leaseKey) {
        return table.updateIf(b -> b.key(Map.of(WORKER_ID, s(owner)))
                .updateExpression("ADD #h :k").conditionExpression("attribute_exists(#w)")
                .expressionAttributeNames(Map.of("#h", HANDOFF_REQUESTS, "#w", WORKER_ID))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromSs(List.of(leaseKey)))));
    }

    /** Removes answered handoff requests from this worker's doorbell (requests rung since stay). */
    @Override
    public void clearHandoffRequests(String workerId, Set<String> leaseKeys) {
        table.update(b -> b.key(Map.of(WORKER_ID, s(workerId)))
                .updateExpression("DELETE #h :k").conditionExpression("attribute_exists(#w)")
                .expressionAttributeNames(Map.of("#h", HANDOFF_REQUESTS, "#w", WORKER_ID))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromSs(List.copyOf(leaseKeys)))));
    }

    /**
     * One heartbeat: bumps this worker's counter from {@code expected} (or creates the item) and
     * publishes its lease count, its load and the rates of its hottest leases. Returns the new counter, or empty when another process
     * wrote the item (the same worker id twice). Retried within {@code timeout} only: a later beat is
     * worth nothing to the self-fence.
     */
    @Override
    public Optional<Long> heartbeat(String workerId, long expected, Map<String, Long> throughput, Duration timeout) {
        Map<String, AttributeValue> rates = new HashMap<>();
        throughput.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(HOT_LEASES).forEach(e -> rates.put(e.getKey(), n(e.getValue())));
        long load = throughput.values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        return table.resolvedWrite(() -> System.nanoTime() < deadline, () -> {
            Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
            Map<String, AttributeValue> attributes = table.client().updateItem(b -> b.tableName(table.name())
                    .key(Map.of(WORKER_ID, s(workerId)))
                    .updateExpression("SET #c = :next, #t = :t, #at = :at, #n = :n, #l = :l")
                    .conditionExpression("attribute_not_exists(#c) OR #c = :c")
                    .expressionAttributeNames(Map.of("#c", COUNTER, "#t", THROUGHPUT, "#at", HEARTBEAT_AT,
                            "#n", LEASE_COUNT, "#l", LOAD))
                    .expressionAttributeValues(Map.of(":next", n(expected + 1), ":c", n(expected),
                            ":t", AttributeValue.fromM(rates), ":at", n(System.currentTimeMillis()),
                            ":n", n(throughput.size()), ":l", n(load)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .overrideConfiguration(c -> c.apiCallTimeout(left))).attributes();
            return number(attributes, COUNTER, expected + 1);
        }, () -> counter(workerId) == expected + 1 ? Optional.of(expected + 1) : Optional.empty());
    }

    /** A worker's counter (0 when it has no item). */
    @Override
    public long counter(String workerId) {
        return number(table.get(workerId), COUNTER, 0);
    }

    @Override
    public void delete(String workerId) {
        table.delete(workerId);
    }
}
