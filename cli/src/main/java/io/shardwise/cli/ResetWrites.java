package io.shardwise.cli;

import io.shardwise.consumer.LeaseSchema;
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

    /** A rewrite: the new checkpoint, the counter bumped, no owner switch counted yet; no owner, no pending checkpoint. */
    private static final String REWRITE = "SET #cp = :cp, #sub = :sub, #c = :next, #sw = :zero, #at = :at"
            + " REMOVE #o, #p, #ps, #pst, #h, #co, #mbl";
    private static final Map<String, String> REWRITE_NAMES = merged(
            Map.of("#cp", LeaseSchema.CHECKPOINT, "#sub", LeaseSchema.CHECKPOINT_SUB, "#c", LeaseSchema.COUNTER,
                    "#sw", LeaseSchema.OWNER_SWITCHES, "#at", LeaseSchema.CHECKPOINTED_AT),
            Map.of("#o", LeaseSchema.OWNER, "#p", LeaseSchema.PENDING, "#ps", LeaseSchema.PENDING_SUB,
                    "#pst", LeaseSchema.PENDING_STATE, "#h", LeaseSchema.HANDOFF_TO, "#co", LeaseSchema.CHECKPOINT_OWNER,
                    "#mbl", LeaseSchema.MILLIS_BEHIND));

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
            item.put(LeaseSchema.LEASE_KEY, s(change.shardId()));
            item.put(LeaseSchema.COUNTER, n(0));
            item.put(LeaseSchema.CHECKPOINT, s(after.sequenceNumber()));
            item.put(LeaseSchema.CHECKPOINT_SUB, n(after.subSequenceNumber()));
            item.put(LeaseSchema.OWNER_SWITCHES, n(0));
            item.put(LeaseSchema.ENTITY_TYPE, s(LeaseSchema.LEASE_ENTITY));
            List<String> parents = new ArrayList<>();
            if (change.shard().parentShardId() != null) {
                parents.add(change.shard().parentShardId());
            }
            if (change.shard().adjacentParentShardId() != null) {
                parents.add(change.shard().adjacentParentShardId());
            }
            if (!parents.isEmpty()) {
                item.put(LeaseSchema.PARENTS, AttributeValue.builder().ss(parents).build());
            }
            item.put(LeaseSchema.STARTING_HASH_KEY, s(change.shard().hashKeyRange().startingHashKey()));
            item.put(LeaseSchema.ENDING_HASH_KEY, s(change.shard().hashKeyRange().endingHashKey()));
            item.put(LeaseSchema.CHECKPOINTED_AT, n(System.currentTimeMillis()));
            return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", LeaseSchema.LEASE_KEY)).build()).build();
        }
        Map<String, AttributeValue> values = Map.of(":cp", s(after.sequenceNumber()), ":sub", n(after.subSequenceNumber()),
                ":c", n(change.lease().counter()), ":next", n(change.lease().counter() + 1), ":zero", n(0),
                ":at", n(System.currentTimeMillis()));
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Map.of(LeaseSchema.LEASE_KEY, s(change.shardId())))
                .updateExpression(REWRITE).conditionExpression("#c = :c")
                .expressionAttributeNames(REWRITE_NAMES).expressionAttributeValues(values).build()).build();
    }

    private static Map<String, String> merged(Map<String, String> set, Map<String, String> removed) {
        Map<String, String> names = new HashMap<>(set);
        names.putAll(removed);
        return Map.copyOf(names);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
