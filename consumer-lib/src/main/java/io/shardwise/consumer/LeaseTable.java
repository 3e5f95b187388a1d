package io.shardwise.consumer;

import static io.shardwise.consumer.DynamoTable.n;
import static io.shardwise.consumer.DynamoTable.number;
import static io.shardwise.consumer.DynamoTable.numberMap;
import static io.shardwise.consumer.DynamoTable.s;
import static io.shardwise.consumer.DynamoTable.string;
import static io.shardwise.consumer.DynamoTable.stringSet;
import static io.shardwise.consumer.LeaseSchema.CHECKPOINT;
import static io.shardwise.consumer.LeaseSchema.CHECKPOINTED_AT;
import static io.shardwise.consumer.LeaseSchema.CHECKPOINT_SUB;
import static io.shardwise.consumer.LeaseSchema.CHILDREN;
import static io.shardwise.consumer.LeaseSchema.COUNTER;
import static io.shardwise.consumer.LeaseSchema.ENDING_HASH_KEY;
import static io.shardwise.consumer.LeaseSchema.ENTITY_TYPE;
import static io.shardwise.consumer.LeaseSchema.HANDOFF_TO;
import static io.shardwise.consumer.LeaseSchema.LEASE_ENTITY;
import static io.shardwise.consumer.LeaseSchema.LEASE_KEY;
import static io.shardwise.consumer.LeaseSchema.LEGACY_THROUGHPUT;
import static io.shardwise.consumer.LeaseSchema.LEGACY_WORKER_PREFIX;
import static io.shardwise.consumer.LeaseSchema.MILLIS_BEHIND;
import static io.shardwise.consumer.LeaseSchema.OWNER;
import static io.shardwise.consumer.LeaseSchema.OWNER_SWITCHES;
import static io.shardwise.consumer.LeaseSchema.PARENTS;
import static io.shardwise.consumer.LeaseSchema.PENDING;
import static io.shardwise.consumer.LeaseSchema.PENDING_STATE;
import static io.shardwise.consumer.LeaseSchema.PENDING_SUB;
import static io.shardwise.consumer.LeaseSchema.SHARD_ID;
import static io.shardwise.consumer.LeaseSchema.STARTING_HASH_KEY;
import static io.shardwise.consumer.LeaseSchema.STREAM_ID;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The lease table in the KCL's schema: one item per shard keyed by {@code leaseKey}, and nothing
 * else (worker liveness lives in the {@link WorkerTable}). Earlier Shardwise versions kept one
 * liveness item per worker here, keyed {@code __worker__#<workerId>}: they are still read, for
 * rolling upgrades, and deleted once their worker is dead.
 *
 * <p>Every write to a shard lease is conditional on its {@code leaseCounter} (and, for the holder's
 * writes, on {@code leaseOwner}) and bumps the counter, so a worker that lost a lease is fenced: its
 * next write fails with {@link ConditionalCheckFailedException}, reported here as an empty result.
 */
final class LeaseTable extends DynamoStore implements LeaseStore {
    /** Which leases a scan returns; all by default (a multi-stream consumer hides untracked streams). */
    private volatile java.util.function.Predicate<Lease> visible = lease -> true;

    LeaseTable(DynamoDbClient dynamo, String tableName, Duration callTimeout, ConsumerMetrics metrics) {
        super(new DynamoTable(dynamo, tableName, LEASE_KEY, callTimeout, metrics));
    }

    /**
     * Restricts what {@link #scan()} returns to the leases {@code filter} accepts: the lease rounds
     * of a multi-stream consumer never see, take or balance the leases of streams it does not track.
     */
    @Override
    public void showOnly(java.util.function.Predicate<Lease> filter) {
        this.visible = filter;
    }

    /** Every lease key in the table, whatever {@link #showOnly} hides (a keys-only scan). */
    @Override
    public List<String> allLeaseKeys() {
        List<String> keys = new ArrayList<>();
        table.scanAll(item -> {
            if (isShardLease(item)) {
                keys.add(item.get(LEASE_KEY).s());
            }
        });
        return keys;
    }

    /** Deletes a lease whatever its state (the leases of a former stream, after the wait period). */
    @Override
    public void deleteLease(String leaseKey) {
        table.delete(leaseKey);
    }


    /**
     * A consistent scan of the whole table (paginated): the leases, and the liveness items that
     * Shardwise versions before the worker table kept here ({@code __worker__#<id>}). Those are read
     * so that a rolling upgrade never sees a live old-version worker as dead.
     */
    @Override
    public TableSnapshot scan() {
        List<Lease> leases = new ArrayList<>();
        Map<String, WorkerStore.WorkerItem> workers = new HashMap<>();
        table.scanAll(item -> {
            String key = item.get(LEASE_KEY).s();
            if (key.startsWith(LEGACY_WORKER_PREFIX)) {
                Map<String, Long> rates = numberMap(item, LEGACY_THROUGHPUT);
                long load = rates.values().stream().mapToLong(Long::longValue).sum();
                workers.put(key.substring(LEGACY_WORKER_PREFIX.length()),
                        new WorkerStore.WorkerItem(number(item, COUNTER, 0), rates.size(), load, rates, Set.of()));
            } else if (isShardLease(item)) {
                Lease lease = toLease(item);
                if (visible.test(lease)) {
                    leases.add(lease);
                }
            }
        });
        return new TableSnapshot(leases, workers, Set.copyOf(workers.keySet()));
    }

    @Override
    public Optional<Lease> get(String leaseKey) {
        Map<String, AttributeValue> item = table.get(leaseKey);
        return item.isEmpty() ? Optional.empty() : Optional.of(toLease(item));
    }

    @Override
    public boolean createLease(String leaseKey, Checkpoint checkpoint, Set<String> parents, String startingHashKey,
                        String endingHashKey, String streamId, String shardId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LEASE_KEY, s(leaseKey));
        if (streamId != null) {
            item.put(STREAM_ID, s(streamId));
            item.put(SHARD_ID, s(shardId));
        }
        item.put(COUNTER, n(0));
        item.put(CHECKPOINT, s(checkpoint.sequenceNumber()));
        item.put(CHECKPOINT_SUB, n(checkpoint.subSequenceNumber()));
        item.put(OWNER_SWITCHES, n(0));
        item.put(ENTITY_TYPE, s(LEASE_ENTITY));
        if (!parents.isEmpty()) {
            item.put(PARENTS, AttributeValue.builder().ss(parents).build());
        }
        if (startingHashKey != null) {
            item.put(STARTING_HASH_KEY, s(startingHashKey));
            item.put(ENDING_HASH_KEY, s(endingHashKey));
        }
        return table.putIf(b -> b.item(item)
                .conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", LEASE_KEY)));
    }

    /** Takes a free or expired lease: conditional on the counter this worker observed. */
    @Override
    public Optional<Lease> take(Lease observed, String newOwner) {
        return update(observed.leaseKey(), observed.counter(), null, newOwner, null,
                "SET #o = :o, #c = :next, #sw = if_not_exists(#sw, :zero) + :one REMOVE #h",
                Map.of(":o", s(newOwner), ":zero", n(0), ":one", n(1)), Map.of("#o", OWNER, "#sw", OWNER_SWITCHES,
                        "#h", HANDOFF_TO));
    }

    /** The holder hands its lease directly to another worker (graceful rebalancing). */
    @Override
    public Optional<Lease> transfer(String leaseKey, long counter, String owner, String newOwner) {
        return update(leaseKey, counter, owner, newOwner, null,
                "SET #o = :o, #c = :next, #sw = if_not_exists(#sw, :zero) + :one REMOVE #h",
                Map.of(":o", s(newOwner), ":zero", n(0), ":one", n(1)), Map.of("#o", OWNER, "#sw", OWNER_SWITCHES,
                        "#h", HANDOFF_TO));
    }

    /** The holder gives its lease up: the owner is cleared, any worker may take it at once. */
    @Override
    public Optional<Lease> release(String leaseKey, long counter, String owner) {
        return update(leaseKey, counter, owner, null, null, "SET #c = :next REMOVE #o, #h", Map.of(),
                Map.of("#o", OWNER, "#h", HANDOFF_TO));
    }

    /**
     * Asks the owner (alive) to hand its lease to {@code requester}. Does not bump the counter, so the
     * owner's next checkpoint still succeeds; the owner answers with {@link #transfer}.
     */
    @Override
    public boolean requestHandoff(Lease observed, String requester) {
        return table.updateIf(b -> b.key(Map.of(LEASE_KEY, s(observed.leaseKey())))
                .updateExpression("SET #h = :h")
                .conditionExpression("#c = :c AND #o = :o")
                .expressionAttributeNames(Map.of("#h", HANDOFF_TO, "#c", COUNTER, "#o", OWNER))
                .expressionAttributeValues(Map.of(":h", s(requester), ":c", n(observed.counter()),
                        ":o", s(observed.owner()))));
    }

    /**
     * Writes a checkpoint (clearing any pending one), resetting ownerSwitchesSinceCheckpoint. A
     * throttled or failed write is retried, as a checkpoint, for as long as {@code leaseHeld} says
     * the lease is still this worker's.
     */
    @Override
    public Optional<Lease> checkpoint(String leaseKey, long counter, String owner, Checkpoint checkpoint,
                               Set<String> childShardIds, long millisBehindLatest, BooleanSupplier leaseHeld) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":cp", s(checkpoint.sequenceNumber()));
        values.put(":sub", n(checkpoint.subSequenceNumber()));
        values.put(":zero", n(0));
        values.put(":at", n(System.currentTimeMillis()));
        Map<String, String> names = new HashMap<>(Map.of("#cp", CHECKPOINT, "#sub", CHECKPOINT_SUB,
                "#sw", OWNER_SWITCHES, "#p", PENDING, "#ps", PENDING_SUB, "#pst", PENDING_STATE,
                "#at", CHECKPOINTED_AT));
        String set = "SET #cp = :cp, #sub = :sub, #sw = :zero, #c = :next, #at = :at";
        if (millisBehindLatest >= 0) {
            set += ", #mbl = :mbl";
            names.put("#mbl", MILLIS_BEHIND);
            values.put(":mbl", n(millisBehindLatest));
        }
        if (!childShardIds.isEmpty()) {
            set += ", #ch = :ch";
            names.put("#ch", CHILDREN);
            values.put(":ch", AttributeValue.builder().ss(childShardIds).build());
        }
        return update(leaseKey, counter, owner, owner, leaseHeld, set + " REMOVE #p, #ps, #pst", values,
                names);
    }

    /** First phase of a two-phase checkpoint; retried like a checkpoint. */
    @Override
    public Optional<Lease> prepare(String leaseKey, long counter, String owner, Checkpoint pending, byte[] state,
                            BooleanSupplier leaseHeld) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":p", s(pending.sequenceNumber()));
        values.put(":ps", n(pending.subSequenceNumber()));
        String set = "SET #p = :p, #ps = :ps, #c = :next";
        Map<String, String> names = new HashMap<>(Map.of("#p", PENDING, "#ps", PENDING_SUB));
        if (state != null) {
            set += ", #pst = :pst";
            names.put("#pst", PENDING_STATE);
            values.put(":pst", AttributeValue.builder().b(SdkBytes.fromByteArray(state)).build());
        }
        return update(leaseKey, counter, owner, owner, leaseHeld, set, values, names);
    }

    /** Deletes a finished parent lease (only while it still says SHARD_END). */
    @Override
    public boolean deleteFinished(String leaseKey) {
        return table.deleteIf(b -> b.key(Map.of(LEASE_KEY, s(leaseKey)))
                .conditionExpression("#cp = :end")
                .expressionAttributeNames(Map.of("#cp", CHECKPOINT))
                .expressionAttributeValues(Map.of(":end", s(Checkpoint.SHARD_END.sequenceNumber()))));
    }

    /** Deletes the liveness item an earlier Shardwise version kept in the lease table for a worker. */
    @Override
    public void deleteLegacyWorker(String workerId) {
        table.delete(LEGACY_WORKER_PREFIX + workerId);
    }

    /**
     * One conditional update of a lease, retried a few times, or for as long as {@code leaseHeld}
     * says so when it is given (checkpoints). An attempt whose answer was lost is told apart from a
     * lost race by reading the lease: our write left the counter at {@code counter + 1} with
     * {@code resultingOwner}, and no other writer can leave exactly that.
     */
    private Optional<Lease> update(String leaseKey, long counter, String owner, String resultingOwner,
                                   BooleanSupplier leaseHeld, String expression, Map<String, AttributeValue> extraValues,
                                   Map<String, String> extraNames) {
        Map<String, AttributeValue> values = new HashMap<>(extraValues);
        values.put(":c", n(counter));
        values.put(":next", n(counter + 1));
        Map<String, String> names = new HashMap<>(extraNames);
        names.put("#c", COUNTER);
        String condition = "#c = :c";
        if (owner != null) {
            names.put("#own", OWNER);
            values.put(":own", s(owner));
            condition += " AND #own = :own";
        }
        UpdateItemRequest request = UpdateItemRequest.builder().tableName(table.name())
                .key(Map.of(LEASE_KEY, s(leaseKey)))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .overrideConfiguration(table.timeout())
                .build();
        return table.resolvedWrite(leaseHeld, () -> toLease(table.client().updateItem(request).attributes()),
                () -> landedEarlier(leaseKey, counter, resultingOwner));
    }

    private Optional<Lease> landedEarlier(String leaseKey, long counter, String resultingOwner) {
        return get(leaseKey).filter(l -> l.counter() == counter + 1 && Objects.equals(l.owner(), resultingOwner));
    }

    /** A shard lease has a checkpoint; KCL 3.x entities of other types (and no checkpoint) are skipped. */
    static boolean isShardLease(Map<String, AttributeValue> item) {
        String entity = string(item, ENTITY_TYPE);
        return item.containsKey(CHECKPOINT) && (entity == null || entity.equals(LEASE_ENTITY));
    }

    /**
     * Reads a lease item. Parent and child shard ids of a multi-stream lease (one with a
     * {@code streamName}) are stored bare, as the KCL stores them; they are returned as lease keys of
     * the same stream, so the lease rounds compare lease keys only, in both forms.
     */
    static Lease toLease(Map<String, AttributeValue> item) {
        String pending = string(item, PENDING);
        AttributeValue state = item.get(PENDING_STATE);
        String streamId = string(item, STREAM_ID);
        return new Lease(item.get(LEASE_KEY).s(), string(item, OWNER), number(item, COUNTER, 0),
                Checkpoint.parse(string(item, CHECKPOINT), number(item, CHECKPOINT_SUB, 0), Checkpoint.TRIM_HORIZON),
                pending == null ? null : Checkpoint.parse(pending, number(item, PENDING_SUB, 0), null),
                state == null || state.b() == null ? null : state.b().asByteArray(),
                number(item, OWNER_SWITCHES, 0), leaseKeys(streamId, stringSet(item, PARENTS)),
                leaseKeys(streamId, stringSet(item, CHILDREN)),
                string(item, STARTING_HASH_KEY), string(item, ENDING_HASH_KEY), string(item, HANDOFF_TO));
    }

    private static Set<String> leaseKeys(String streamId, Set<String> shardIds) {
        if (streamId == null || shardIds.isEmpty()) {
            return shardIds;
        }
        Set<String> keys = new HashSet<>();
        shardIds.forEach(id -> keys.add(id.contains(":") ? id : streamId + ":" + id));
        return keys;
    }
}
