package io.shardwise.cli;

import static io.shardwise.consumer.LeaseSchema.CHECKPOINT;
import static io.shardwise.consumer.LeaseSchema.CHECKPOINTED_AT;
import static io.shardwise.consumer.LeaseSchema.CHECKPOINT_SUB;
import static io.shardwise.consumer.LeaseSchema.CHILDREN;
import static io.shardwise.consumer.LeaseSchema.COUNTER;
import static io.shardwise.consumer.LeaseSchema.ENDING_HASH_KEY;
import static io.shardwise.consumer.LeaseSchema.ENTITY_TYPE;
import static io.shardwise.consumer.LeaseSchema.LEASE_ENTITY;
import static io.shardwise.consumer.LeaseSchema.LEASE_KEY;
import static io.shardwise.consumer.LeaseSchema.LEGACY_THROUGHPUT;
import static io.shardwise.consumer.LeaseSchema.LEGACY_WORKER_PREFIX;
import static io.shardwise.consumer.LeaseSchema.MILLIS_BEHIND;
import static io.shardwise.consumer.LeaseSchema.OWNER;
import static io.shardwise.consumer.LeaseSchema.PARENTS;
import static io.shardwise.consumer.LeaseSchema.STARTING_HASH_KEY;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.consumer.WorkerSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads an application's tables, written by Shardwise or by the KCL 3.x: the lease table (named
 * after the application, the KCL's schema), Shardwise's worker table ({@code <app>-ShardwiseWorkers}),
 * the liveness items older Shardwise versions kept in the lease table ({@code __worker__#<id>}), and
 * the KCL 3.x worker metrics: items of entity type {@code WORKER_METRIC_STATS} in the lease table
 * (keyed by worker id), or, for a fleet that has not migrated them, the table
 * {@code <app>-WorkerMetricStats} (keyed {@code wid}); both carry the last update {@code lut} in
 * epoch seconds. Items of other KCL entity types in the lease table are skipped.
 */
final class AppTables {

    static final String KCL_METRICS_SUFFIX = "-WorkerMetricStats";
    static final String KCL_LAST_UPDATE = "lut";
    /** The KCL 3.x also keeps worker metrics in the lease table itself, keyed by worker id, with this entity type. */
    static final String KCL_METRICS_ENTITY = "WORKER_METRIC_STATS";

    private final DynamoDbClient dynamo;
    private final String application;

    AppTables(DynamoDbClient dynamo, String application) {
        this.dynamo = dynamo;
        this.application = application;
    }

    String leaseTable() {
        return application;
    }

    /** The leases and workers as they are now; fails with a clear message when the lease table is missing. */
    AppSnapshot read() {
        long readAt = System.currentTimeMillis();
        List<LeaseRow> leases = new ArrayList<>();
        List<WorkerRow> workers = new ArrayList<>();
        try {
            scan(application, item -> {
                String key = item.get(LEASE_KEY).s();
                if (key.startsWith(LEGACY_WORKER_PREFIX)) {
                    workers.add(new WorkerRow(key.substring(LEGACY_WORKER_PREFIX.length()), WorkerRow.Kind.SHARDWISE_LEGACY,
                            number(item, COUNTER), null, null, rates(item.get(LEGACY_THROUGHPUT))));
                } else if (isShardLease(item)) {
                    leases.add(lease(item));
                } else if (KCL_METRICS_ENTITY.equals(string(item, ENTITY_TYPE))) {
                    workers.add(kclWorker(key, number(item, KCL_LAST_UPDATE)));
                }
            });
        } catch (ResourceNotFoundException e) {
            throw new CliException("application " + application + " has no lease table (DynamoDB table " + application
                    + " does not exist)");
        }
        scanIfExists(ShardwiseConsumer.workerTableNameFor(application), item -> {
            String id = string(item, WorkerSchema.WORKER_ID);
            if (id != null && !id.startsWith("#")) {
                workers.add(new WorkerRow(id, WorkerRow.Kind.SHARDWISE, number(item, WorkerSchema.COUNTER),
                        number(item, WorkerSchema.HEARTBEAT_AT), number(item, WorkerSchema.LEASE_COUNT),
                        rates(item.get(WorkerSchema.THROUGHPUT))));
            }
        });
        String metricsTable = application + KCL_METRICS_SUFFIX;
        String[] metricsKey = {null};
        scanIfExists(metricsTable, item -> {
            if (metricsKey[0] == null) {
                metricsKey[0] = hashKey(metricsTable);
            }
            String id = string(item, metricsKey[0]);
            if (id != null) {
                workers.add(kclWorker(id, number(item, KCL_LAST_UPDATE)));
            }
        });
        leases.sort(java.util.Comparator.comparing(LeaseRow::leaseKey));
        workers.sort(java.util.Comparator.comparing(WorkerRow::workerId));
        return new AppSnapshot(readAt, leases, workers);
    }

    /** A KCL 3.x worker's metrics item; {@code lut} is its last update in epoch seconds. */
    private static WorkerRow kclWorker(String workerId, Long lastUpdateSeconds) {
        return new WorkerRow(workerId, WorkerRow.Kind.KCL, null, lastUpdateSeconds == null ? null : lastUpdateSeconds * 1000,
                null, Map.of());
    }

    static boolean isShardLease(Map<String, AttributeValue> item) {
        String entity = string(item, ENTITY_TYPE);
        return item.containsKey(CHECKPOINT) && (entity == null || entity.equals(LEASE_ENTITY));
    }

    static LeaseRow lease(Map<String, AttributeValue> item) {
        Long counter = number(item, COUNTER);
        Long sub = number(item, CHECKPOINT_SUB);
        return new LeaseRow(item.get(LEASE_KEY).s(), string(item, OWNER), counter == null ? 0 : counter,
                string(item, CHECKPOINT), sub == null ? 0 : sub, stringSet(item, PARENTS), stringSet(item, CHILDREN),
                string(item, STARTING_HASH_KEY), string(item, ENDING_HASH_KEY), number(item, CHECKPOINTED_AT),
                number(item, MILLIS_BEHIND));
    }

    private String hashKey(String table) {
        return dynamo.describeTable(b -> b.tableName(table)).table().keySchema().stream()
                .filter(k -> k.keyType() == KeyType.HASH).findFirst().orElseThrow().attributeName();
    }

    private void scanIfExists(String table, Consumer<Map<String, AttributeValue>> onItem) {
        try {
            scan(table, onItem);
        } catch (ResourceNotFoundException absent) {
            // this kind of worker never ran for the application
        }
    }

    private void scan(String table, Consumer<Map<String, AttributeValue>> onItem) {
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table).consistentRead(true);
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse response = dynamo.scan(request.build());
            response.items().forEach(onItem);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private static Map<String, Long> rates(AttributeValue map) {
        Map<String, Long> rates = new HashMap<>();
        if (map != null && map.hasM()) {
            map.m().forEach((lease, rate) -> {
                if (rate.n() != null) {
                    rates.put(lease, Long.parseLong(rate.n()));
                }
            });
        }
        return rates;
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    private static Set<String> stringSet(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null) {
            return Set.of();
        }
        if (v.hasSs()) {
            return new TreeSet<>(v.ss());
        }
        return v.s() == null ? Set.of() : new LinkedHashSet<>(List.of(v.s()));
    }
}
