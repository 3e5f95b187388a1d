package io.shardwise.cli;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * What a reset writes: per shard, the checkpoint before and after. Every retained shard of the
 * stream gets the checkpoint its position asks for, so a lineage re-opens by itself: a parent reset
 * to a time before its split resumes there (its lease re-created when it was deleted), and its
 * children, whose records all come later, go back to TRIM_HORIZON, where they wait for the parent's
 * end as new children do. A shard without a lease gets one unless it is done (SHARD_END). Leases of
 * shards the stream no longer lists are left alone.
 */
final class ResetPlan {

    /** One shard; {@code lease} null means no lease exists and one is created. */
    record Change(Shard shard, LeaseRow lease, AppCheckpoint before, AppCheckpoint after) {
        boolean writes() {
            return lease == null ? !after.equals(AppCheckpoint.SHARD_END) : !after.equals(before);
        }

        String shardId() {
            return shard.shardId();
        }
    }

    private final List<Change> changes;
    private final List<String> leftAlone;

    private ResetPlan(List<Change> changes, List<String> leftAlone) {
        this.changes = changes;
        this.leftAlone = leftAlone;
    }

    List<Change> changes() {
        return changes;
    }

    List<Change> writes() {
        return changes.stream().filter(Change::writes).toList();
    }

    List<String> leftAlone() {
        return leftAlone;
    }

    /** Every shard resumes at its first record at or after {@code time}. */
    static ResetPlan toTime(List<Shard> shards, AppSnapshot now, ShardPositions positions, Instant time) {
        Map<String, AppCheckpoint> after = new TreeMap<>();
        shards.forEach(s -> after.put(s.shardId(), positions.resumingAt(s, time)));
        return of(shards, now, after, true);
    }

    /** Every shard resumes after what it holds at {@code now}. */
    static ResetPlan toLatest(List<Shard> shards, AppSnapshot now, ShardPositions positions, Instant time) {
        Map<String, AppCheckpoint> after = new TreeMap<>();
        shards.forEach(s -> after.put(s.shardId(), positions.resumingAfterAll(s, time)));
        return of(shards, now, after, true);
    }

    /** Every retained shard from its first record. */
    static ResetPlan toTrimHorizon(List<Shard> shards, AppSnapshot now) {
        Map<String, AppCheckpoint> after = new TreeMap<>();
        shards.forEach(s -> after.put(s.shardId(), AppCheckpoint.TRIM_HORIZON));
        return of(shards, now, after, true);
    }

    /**
     * One shard to a sequence number; its descendants that have leases go back to TRIM_HORIZON so
     * they wait for it again (their records all follow its own, key by key).
     */
    static ResetPlan toSequence(List<Shard> shards, AppSnapshot now, String shardId, AppCheckpoint checkpoint) {
        Map<String, LeaseRow> leases = now.leasesByKey();
        Map<String, AppCheckpoint> after = new TreeMap<>();
        after.put(shardId, checkpoint);
        Set<String> seen = new HashSet<>(Set.of(shardId));
        Deque<String> todo = new ArrayDeque<>(List.of(shardId));
        while (!todo.isEmpty()) {
            String parent = todo.removeFirst();
            for (Shard s : shards) {
                if ((parent.equals(s.parentShardId()) || parent.equals(s.adjacentParentShardId())) && seen.add(s.shardId())) {
                    todo.addLast(s.shardId());
                    if (leases.containsKey(s.shardId())) {
                        after.put(s.shardId(), AppCheckpoint.TRIM_HORIZON);
                    }
                }
            }
        }
        List<Shard> touched = shards.stream().filter(s -> after.containsKey(s.shardId())).toList();
        return of(touched, now, after, false);
    }

    private static ResetPlan of(List<Shard> shards, AppSnapshot now, Map<String, AppCheckpoint> after,
                                boolean wholeStream) {
        Map<String, LeaseRow> leases = now.leasesByKey();
        List<Change> changes = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (Shard shard : shards.stream().sorted(java.util.Comparator.comparing(Shard::shardId)).toList()) {
            listed.add(shard.shardId());
            LeaseRow lease = leases.get(shard.shardId());
            AppCheckpoint before = lease == null ? null : AppCheckpoint.of(lease.checkpoint(), lease.subSequenceNumber());
            changes.add(new Change(shard, lease, before, after.get(shard.shardId())));
        }
        List<String> leftAlone = !wholeStream ? List.of() : leases.keySet().stream().filter(k -> !listed.contains(k)).sorted().toList();
        return new ResetPlan(changes, leftAlone);
    }
}
