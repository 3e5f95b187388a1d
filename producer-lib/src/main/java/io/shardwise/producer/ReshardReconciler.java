package io.shardwise.producer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * What a reshard (a split or merge) leaves behind until the producer has caught up with it:
 *
 * <ul>
 *   <li><b>Retired queues</b>: the queues of shards that closed while requests of theirs were in flight.
 *       In ordered mode a shard that overlaps one of them does not send until those requests are
 *       answered, since their failures must go out first ({@link #blocks}).
 *   <li><b>Misplaced aggregates</b>: an aggregate built from a stale map is stored on the shard that owns
 *       its outer hash key; its sub-records whose hash keys that shard does not own would be skipped by
 *       range-aware readers (the KCL and ours drop them). Their queue is held (nothing of those keys may
 *       overtake) until a map lists the shard the aggregate landed on; then {@link #reconcile} confirms
 *       the sub-records that shard owns and hands back the others to be sent again, at the front of
 *       their queue. A sub-record that waits past its time to live expires ({@link #expire}).
 * </ul>
 *
 * <p>Retired queues are read and changed under the accumulator's lock, misplaced aggregates on the
 * sender thread; this class's own monitor guards both (it never calls out while holding it).
 */
final class ReshardReconciler {
    private final long ttlNanos;
    private final List<ShardQueue> retired = new ArrayList<>();
    private final List<Misplaced> misplaced = new ArrayList<>();

    private record Misplaced(PutBatch.Entry entry, PutRecordsResultEntry result, Attempt success) {}

    /** What a fresh map says about the misplaced aggregates it lists. */
    record Reconciled(List<PendingRecord> stored, List<SendResult> results,
                      Map<ShardQueue, List<PendingRecord>> resend, Set<ShardQueue> stillHeld) {
        /** True when some aggregates landed on shards the map does not list yet: load it again soon. */
        boolean mapLags() {
            return !stillHeld.isEmpty();
        }
    }

    ReshardReconciler(long ttlNanos) {
        this.ttlNanos = ttlNanos;
    }

    // ---------------------------------------------------------------- retired queues

    /** The queue's shard left the map; its queued records have moved already. */
    synchronized void retire(ShardQueue queue) {
        queue.retire();
        if (queue.requestsInFlight() > 0) {
            retired.add(queue);
        }
    }

    /** A request was answered: retired queues with nothing in flight are forgotten. */
    synchronized void requestAnswered() {
        if (!retired.isEmpty()) {
            retired.removeIf(ShardQueue::isIdle);
        }
    }

    /** True while a retired queue that overlaps {@code queue} still has a request in flight. */
    synchronized boolean blocks(ShardQueue queue) {
        for (ShardQueue old : retired) {
            if (old.requestsInFlight() > 0 && old.overlaps(queue)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- misplaced aggregates

    /** An aggregate of {@code entry} was stored on another shard than predicted; its queue is held meanwhile. */
    synchronized void misplaced(PutBatch.Entry entry, PutRecordsResultEntry result, Attempt success) {
        misplaced.add(new Misplaced(entry, result, success));
    }

    /**
     * Sorts the sub-records of every misplaced aggregate whose shard {@code map} lists: those the shard
     * owns are stored, the others are to be sent again. Aggregates on shards not listed keep waiting.
     */
    synchronized Reconciled reconcile(ShardMap map) {
        List<PendingRecord> stored = new ArrayList<>();
        List<SendResult> results = new ArrayList<>();
        Map<ShardQueue, List<PendingRecord>> resend = new LinkedHashMap<>();
        List<Misplaced> waiting = new ArrayList<>();
        for (Misplaced m : misplaced) {
            ShardMap.Shard actual = map.byId(m.result().shardId());
            if (actual == null) {
                waiting.add(m); // the map still lags behind Kinesis: look again soon
                continue;
            }
            List<PendingRecord> users = m.entry().userRecords();
            for (int i = 0; i < users.size(); i++) {
                PendingRecord record = users.get(i);
                if (record.done) {
                    continue; // expired while the map did not know the shard
                }
                if (actual.contains(record.hashKey())) {
                    record.addAttempt(m.success());
                    stored.add(record);
                    results.add(new SendResult(actual.shardId(), m.result().sequenceNumber(), i, record.attempts()));
                } else {
                    record.addAttempt(new Attempt(m.success().startedAt(), m.success().duration(),
                            "StoredOutsideShardRange", "aggregate landed on " + actual.shardId()
                            + " after a reshard; this sub-record's hash key belongs to another shard"));
                    resend.computeIfAbsent(m.entry().queue(), q -> new ArrayList<>()).add(record);
                }
            }
        }
        misplaced.clear();
        misplaced.addAll(waiting);
        return new Reconciled(stored, results, resend, heldQueues());
    }

    /**
     * Sub-records of a misplaced aggregate keep their time to live while they wait for a map that lists
     * the shard the aggregate landed on. That shard may have closed before the map reloaded (the map
     * holds open shards only), so the wait can be endless: past their deadline they expire, like queued
     * records. Returns them (to be failed); then {@link #forgetFinished} lets their queues send again.
     */
    synchronized List<PendingRecord> expire(long now) {
        List<PendingRecord> expired = new ArrayList<>();
        for (Misplaced m : misplaced) {
            for (PendingRecord record : m.entry().userRecords()) {
                if (!record.done && now >= record.deadlineNanos(ttlNanos)) {
                    record.addAttempt(new Attempt(m.success().startedAt(), m.success().duration(), "ShardNotInMap",
                            "aggregate landed on " + m.result().shardId() + ", which the shard map does not list "
                            + "(it closed before the map reloaded, or the map lags); whether that shard owns this "
                            + "sub-record's hash key is unknown"));
                    expired.add(record);
                }
            }
        }
        return expired;
    }

    /** Drops misplaced aggregates whose sub-records all have results; returns the queues still held. */
    synchronized Set<ShardQueue> forgetFinished() {
        misplaced.removeIf(m -> m.entry().userRecords().stream().allMatch(record -> record.done));
        return heldQueues();
    }

    /** The earliest deadline of a sub-record waiting for its shard to appear in the map. */
    synchronized long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Misplaced m : misplaced) {
            for (PendingRecord record : m.entry().userRecords()) {
                if (!record.done) {
                    earliest = Math.min(earliest, record.deadlineNanos(ttlNanos));
                }
            }
        }
        return earliest;
    }

    synchronized boolean hasMisplaced() {
        return !misplaced.isEmpty();
    }

    /** Sub-records still unreconciled when the producer closes. */
    synchronized List<PendingRecord> abandon() {
        List<PendingRecord> records = new ArrayList<>();
        misplaced.forEach(m -> records.addAll(m.entry().userRecords()));
        misplaced.clear();
        return records;
    }

    private Set<ShardQueue> heldQueues() {
        Set<ShardQueue> held = new HashSet<>();
        misplaced.forEach(m -> held.add(m.entry().queue()));
        return held;
    }
}
