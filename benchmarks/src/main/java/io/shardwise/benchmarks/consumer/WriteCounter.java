package io.shardwise.benchmarks.consumer;

import io.shardwise.consumer.ShardwiseConsumer;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts the write requests a DynamoDB client sends (PutItem, UpdateItem, DeleteItem), split into
 * writes of Shardwise liveness items (in the worker table beside the lease table) and all others;
 * works for the sync and async clients alike. With a lease table name, only writes to that table
 * and its Shardwise worker table count (the KCL 3.x also writes to other tables).
 */
final class WriteCounter implements ExecutionInterceptor {
    final AtomicLong liveness = new AtomicLong();
    final AtomicLong other = new AtomicLong();
    private final String table;

    WriteCounter() {
        this(null);
    }

    WriteCounter(String table) {
        this.table = table;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Object request = context.request();
        String target = tableOf(request);
        boolean livenessTable = target != null && target.endsWith(ShardwiseConsumer.WORKER_TABLE_SUFFIX);
        if (table != null && !table.equals(target)
                && !(livenessTable && target.equals(ShardwiseConsumer.workerTableNameFor(table)))) {
            return;
        }
        if (request instanceof UpdateItemRequest && livenessTable) {
            liveness.incrementAndGet();
        } else if (request instanceof UpdateItemRequest || request instanceof PutItemRequest
                || request instanceof DeleteItemRequest) {
            other.incrementAndGet();
        }
    }

    private static String tableOf(Object request) {
        if (request instanceof UpdateItemRequest u) {
            return u.tableName();
        }
        if (request instanceof PutItemRequest p) {
            return p.tableName();
        }
        if (request instanceof DeleteItemRequest d) {
            return d.tableName();
        }
        return null;
    }

    long total() {
        return liveness.get() + other.get();
    }

    void reset() {
        liveness.set(0);
        other.set(0);
    }
}
