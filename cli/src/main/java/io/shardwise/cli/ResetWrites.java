package io.shardwise.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Applies a reset plan in DynamoDB transactions of up to 100 leases (the transaction limit): all of
 * a transaction's writes land or none does. Each rewrite is conditional on the lease counter that
 * was read and bumps it, as every lease write does, so a worker that took or checkpointed a lease
 * in between makes the whole transaction fail instead of interleaving; each new lease is
 * conditional on no lease existing. A rewritten lease is left without owner, so any worker may
 * take it at once, and without pending (two-phase) checkpoint.
 */
final class ResetWrites {

    static final int TRANSACTION_LIMIT = 100;

    private ResetWrites() {
    }

    /** Writes the changes; fails naming the leases that changed meanwhile (their transaction wrote nothing). */
    static int apply(DynamoDbClient dynamo, String table, List<ResetPlan.Change> writes) {
        int transactions = 0;
        for (int from = 0; from < writes.size(); from += TRANSACTION_LIMIT) {
            List<ResetPlan.Change> part = writes.subList(from, Math.min(writes.size(), from + TRANSACTION_LIMIT));
            List<TransactWriteItem> items = part.stream().map(c -> item(table, c)).toList();
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                transactions++;
            } catch (TransactionCanceledException e) {
                List<String> changed = new ArrayList<>();
                List<CancellationReason> reasons = e.cancellationReasons();
                for (int i = 0; i < reasons.size() && i < part.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        changed.add(part.get(i).shardId());
                    }
                }
                String earlier = transactions == 0 ? "nothing was written"
                        : transactions * TRANSACTION_LIMIT + " leases of earlier transactions were written";
                throw new CliException("reset not applied: " + (changed.isEmpty() ? "the transaction was cancelled ("
                        + e.getMessage() + ")" : "the lease of " + String.join(", ", changed)
                        + " changed since it was read (a worker took or checkpointed it)") + "; " + earlier
                        + ". Stop the workers and run the reset again.");
            }
        }
        return transactions;
    }

    private static TransactWriteItem item(String table, ResetPlan.Change change) {
        AppCheckpoint after = change.after();
        if (change.lease() == null) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(AppTables.LEASE_KEY, s(change.shardId()));
            item.put(AppTables.COUNTER, n(0));
            item.put(AppTables.CHECKPOINT, s(after.sequenceNumber()));
            item.put(AppTables.CHECKPOINT_SUB, n(after.subSequenceNumber()));
            item.put(AppTables.OWNER_SWITCHES, n(0));
            item.put(AppTables.ENTITY_TYPE, s(AppTables.LEASE_ENTITY));
            List<String> parents = new ArrayList<>();
            if (change.shard().parentShardId() != null) {
                parents.add(change.shard().parentShardId());
            }
            if (change.shard().adjacentParentShardId() != null) {
                parents.add(change.shard().adjacentParentShardId());
            }
            if (!parents.isEmpty()) {
                item.put(AppTables.PARENTS, AttributeValue.builder().ss(parents).build());
            }
            item.put(AppTables.STARTING_HASH_KEY, s(change.shard().hashKeyRange().startingHashKey()));
            item.put(AppTables.ENDING_HASH_KEY, s(change.shard().hashKeyRange().endingHashKey()));
            item.put(AppTables.CHECKPOINTED_AT, n(System.currentTimeMillis()));
            return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", AppTables.LEASE_KEY)).build()).build();
        }
        Map<String, String> names = new HashMap<>();
        names.put("#cp", AppTables.CHECKPOINT);
        names.put("#sub", AppTables.CHECKPOINT_SUB);
        names.put("#c", AppTables.COUNTER);
        names.put("#sw", AppTables.OWNER_SWITCHES);
        names.put("#at", AppTables.CHECKPOINTED_AT);
        names.put("#o", AppTables.OWNER);
        names.put("#p", AppTables.PENDING);
        names.put("#ps", AppTables.PENDING_SUB);
        names.put("#pst", AppTables.PENDING_STATE);
        names.put("#h", AppTables.HANDOFF_TO);
        names.put("#co", AppTables.CHECKPOINT_OWNER);
        names.put("#mbl", AppTables.MILLIS_BEHIND);
        Map<String, AttributeValue> values = Map.of(":cp", s(after.sequenceNumber()), ":sub", n(after.subSequenceNumber()),
                ":c", n(change.lease().counter()), ":next", n(change.lease().counter() + 1), ":zero", n(0),
                ":at", n(System.currentTimeMillis()));
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Map.of(AppTables.LEASE_KEY, s(change.shardId())))
                .updateExpression("SET #cp = :cp, #sub = :sub, #c = :next, #sw = :zero, #at = :at"
                        + " REMOVE #o, #p, #ps, #pst, #h, #co, #mbl")
                .conditionExpression("#c = :c")
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
