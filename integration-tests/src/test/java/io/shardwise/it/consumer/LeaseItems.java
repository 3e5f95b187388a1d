package io.shardwise.it.consumer;

import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads the lease table the way an operator would: shard lease items by leaseKey. */
final class LeaseItems {
    private LeaseItems() {
    }

    static Map<String, Map<String, AttributeValue>> shardLeases(DynamoDbClient dynamo, String table) {
        return dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                .filter(item -> item.containsKey("checkpoint") && !item.get("leaseKey").s().startsWith("__worker__#"))
                .collect(Collectors.toMap(item -> item.get("leaseKey").s(), item -> item));
    }

    static String owner(Map<String, AttributeValue> item) {
        AttributeValue v = item.get("leaseOwner");
        return v == null ? null : v.s();
    }

    static String checkpoint(Map<String, AttributeValue> item) {
        return item.get("checkpoint").s();
    }
}
