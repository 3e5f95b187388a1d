package io.shardwise.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Reads the lease table (the KCL's schema) to show who holds what. */
final class DemoLeases {

    /** One shard lease: owner null when free; checkpoint as stored (a sequence number or a sentinel). */
    record Lease(String shardId, String owner, String checkpoint) {
        boolean ended() {
            return "SHARD_END".equals(checkpoint);
        }
    }

    private static final String WORKER_ITEM_PREFIX = "__worker__#";

    private final DynamoDbClient dynamo;
    private final String table;

    DemoLeases(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    List<Lease> read() {
        List<Lease> leases = new ArrayList<>();
        try {
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true))
                    .items()) {
                String key = text(item, "leaseKey");
                if (key != null && !key.startsWith(WORKER_ITEM_PREFIX)) {
                    leases.add(new Lease(key, text(item, "leaseOwner"), text(item, "checkpoint")));
                }
            }
        } catch (ResourceNotFoundException notYet) {
            // the first worker creates the table
        }
        return leases;
    }

    /** Shards not at their end, by owner (sorted). */
    static Map<String, Set<String>> activeByOwner(List<Lease> leases) {
        Map<String, Set<String>> byOwner = new TreeMap<>();
        for (Lease lease : leases) {
            if (!lease.ended() && lease.owner() != null) {
                byOwner.computeIfAbsent(lease.owner(), o -> new TreeSet<>()).add(lease.shardId());
            }
        }
        return byOwner;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
