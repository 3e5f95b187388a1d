package io.shardwise.producer;

import io.shardwise.aggregation.HashKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The heart of the pipeline: one {@link ShardQueue} per open shard ({@link ShardQueues}), filled by
 * {@code send} in send order and drained by the sender into PutRecords requests, one Kinesis record at
 * a time ({@link EntryPacker}).
 *
 * <p><b>Why ordered mode sends at most one Kinesis record per shard per request, with at most one
 * request in flight per shard:</b> PutRecords is not atomic. Kinesis may reject entry 3 of a request
 * (throttled) and store entry 7 of the same shard, so two records of one key in one request, or in two
 * concurrent requests, can be stored out of order once the rejected one is retried. With a single
 * record per shard per request (an aggregate, so it still carries hundreds of user records), a single
 * request in flight per shard, and failed records put back at the <em>front</em> of their queue before
 * anything newer is sent, a shard's records are stored in the order {@code send} saw them. Unordered
 * mode drops these rules for throughput.
 *
 * <p>While the shard map is unknown, records wait in a queue without a shard and are sent plain
 * (never aggregated: an aggregate must not span shards). When the map changes (a split or merge), the
 * queued records of shards that closed move, in order, to the shards that now own their hash keys; in
 * ordered mode a new shard does not send while a closed shard overlapping it still has a request in
 * flight, since that request's failures must go out first ({@link ReshardReconciler}).
 *
 * <p>All state is guarded by this object's monitor, which also guards the queues, the packer and the
 * flush tracker. {@code append} runs on callers' threads; every other method runs on the sender thread.
 */
final class RecordAccumulator {
    private final AccumulatorConfig config;
    private final long lingerNanos;
    private final long ttlNanos;
    private final ShardQueues queues;
    private final EntryPacker packer;
    private final FlushTracker flushes = new FlushTracker();
    private final ReshardReconciler reshards;
    private final Set<PutBatch> inFlight = new LinkedHashSet<>();
    private int rotation;
    private boolean closed;
    /** Measuring windows closed so far (key spreading re-reads the shards' rates once per window). */
    private long windowsClosed;

    RecordAccumulator(AccumulatorConfig config, ReshardReconciler reshards) {
        this.config = config;
        this.reshards = reshards;
        this.lingerNanos = config.maxBufferedTime().toNanos();
        this.ttlNanos = config.recordTtl().toNanos();
        this.queues = new ShardQueues(config.shardRateLimitFraction());
        this.packer = new EntryPacker(config);
    }

    // ---------------------------------------------------------------- callers' side

    /**
     * Queues a record on its predicted shard. Returns true when the sender should wake: the queue was
     * empty (a linger timer starts) or now holds a full request's worth for that shard (send at once).
     */
    synchronized boolean append(PendingRecord record) {
        if (closed) {
            throw new ProducerClosedException("producer is closed; record not accepted");
        }
        ShardQueue queue = queues.route(record.hashKey());
        flushes.appended(record);
        queue.addLast(record);
        queue.countOffered(record);
        return queue.size() == 1 || packer.isFull(queue);
    }

    /** A future that completes when every record appended so far has a result. */
    synchronized CompletableFuture<Void> flush() {
        return flushes.flush();
    }

    /** Stops taking records; everything queued becomes sendable at once. */
    synchronized void close() {
        closed = true;
    }

    synchronized long outstanding() {
        return flushes.outstanding();
    }

    synchronized ShardMap map() {
        return queues.map();
    }

    // ---------------------------------------------------------------- the sender's side

    /**
     * Takes the records that are ready (linger over, a full aggregate, a retry, a flush) from every
     * sendable shard and packs them into requests of at most 500 entries and 5 MiB.
     */
    synchronized List<PutBatch> drain(long now) {
        List<PutBatch> batches = new ArrayList<>();
        List<ShardQueue> candidates = queues.all();
        if (candidates.isEmpty() || inFlight.size() >= config.maxInFlightRequests()) {
            return batches;
        }
        PutBatch current = new PutBatch();
        int start = Math.floorMod(rotation++, candidates.size());
        candidates:
        for (int k = 0; k < candidates.size(); k++) {
            ShardQueue queue = candidates.get((start + k) % candidates.size());
            Set<HashKey> keysInRequest = queue.isUnknown() && config.ordered() ? new HashSet<>() : null;
            while (sendable(queue, current, now)) {
                PutBatch.Entry entry = packer.next(queue, keysInRequest);
                if (entry == null) {
                    break;
                }
                if (!current.fits(entry.sizeBytes())) {
                    if (config.ordered() && current.carries(queue)) {
                        EntryPacker.putBack(entry); // ordered: this queue already has its one request
                        break;
                    }
                    if (!current.isEmpty()) {
                        batches.add(current);
                    }
                    if (inFlight.size() + batches.size() >= config.maxInFlightRequests()) {
                        EntryPacker.putBack(entry);
                        current = new PutBatch();
                        break candidates;
                    }
                    current = new PutBatch();
                    if (keysInRequest != null) {
                        keysInRequest.clear();
                        keysInRequest.add(entry.userRecords().get(0).hashKey());
                    }
                }
                current.add(entry);
                queue.limiter().consume(1, entry.sizeBytes());
                if (config.ordered() && !queue.isUnknown()) {
                    break;
                }
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        inFlight.addAll(batches);
        return batches;
    }

    /** When the sender should look again: the earliest linger end, retry time, limiter refill or TTL. */
    synchronized long nextWakeNanos(long now, long maxWaitNanos) {
        long wake = now + maxWaitNanos;
        boolean requestSlotFree = inFlight.size() < config.maxInFlightRequests();
        for (ShardQueue queue : queues.all()) {
            PendingRecord front = queue.peek();
            if (front == null) {
                continue;
            }
            wake = Math.min(wake, front.deadlineNanos(ttlNanos));
            if (!requestSlotFree || waitsForResponse(queue) || front.held()) {
                continue; // a response will wake the sender
            }
            long at = Math.max(now, queue.retryNotBeforeNanos());
            if (!ready(queue, now)) {
                at = Math.max(at, front.createdNanos + lingerNanos);
            }
            at = Math.max(at, now + queue.limiter().nanosUntilSendable(now, packer.wantedBytes(queue)));
            wake = Math.min(wake, at);
        }
        return wake;
    }

    /** Removes queued records whose time to live is over (records in flight wait for their answer). */
    synchronized List<PendingRecord> expire(long now) {
        List<PendingRecord> expired = new ArrayList<>();
        for (ShardQueue queue : queues.all()) {
            // Records are queued in deadline order (retries, being older, go to the front).
            while (!queue.isEmpty() && queue.peek().deadlineNanos(ttlNanos) <= now) {
                expired.add(queue.poll());
            }
        }
        return expired;
    }

    /**
     * The request's answer arrived (or the call failed): its shards may send again, and their rates
     * learn from it. One answer is one signal: a shard whose entries were throttled ({@code throttled}:
     * how many) has its rate cut once; a shard with stored entries and none throttled may speed up.
     *
     * @param roundTripNanos the call's round trip, or -1 when it failed as a whole
     */
    synchronized void answered(PutBatch batch, long roundTripNanos, Map<ShardQueue, Integer> throttled,
                               Collection<ShardQueue> succeeded, long now) {
        inFlight.remove(batch);
        batch.finished();
        reshards.requestAnswered();
        if (roundTripNanos >= 0) {
            packer.roundTrip(roundTripNanos);
        }
        throttled.forEach((queue, entries) -> queue.throttled(entries, batch.sentAtNanos(), now));
        for (ShardQueue queue : succeeded) {
            if (!throttled.containsKey(queue)) {
                queue.limiter().onSuccess(now);
            }
        }
    }

    /**
     * Puts failed records back at the front of their shard's queue, keeping their order, and holds the
     * shard until {@code notBeforeNanos} (the backoff). Records of a shard that closed meanwhile go to
     * the shard that owns their hash key now.
     */
    synchronized void requeue(ShardQueue from, List<PendingRecord> inOrder, long notBeforeNanos) {
        if (inOrder.isEmpty()) {
            return;
        }
        if (!from.isRetired()) {
            from.requeue(inOrder, notBeforeNanos);
            return;
        }
        Map<ShardQueue, List<PendingRecord>> byQueue = new LinkedHashMap<>();
        for (PendingRecord record : inOrder) {
            byQueue.computeIfAbsent(queues.route(record.hashKey()), q -> new ArrayList<>()).add(record);
        }
        byQueue.forEach((queue, records) -> queue.requeue(records, notBeforeNanos));
    }

    /**
     * Marks records as finished (their futures are about to complete). Returns the bytes to give back
     * to the memory budget; adds the flushes that waited only for these to {@code flushesDone}.
     */
    synchronized long finish(Collection<PendingRecord> records, List<CompletableFuture<Void>> flushesDone) {
        return flushes.finish(records, flushesDone);
    }

    /** Installs a new shard map; returns true when the shards changed. */
    synchronized boolean applyShardMap(ShardMap next, long now) {
        List<ShardQueue> leaving = queues.install(next, now);
        if (leaving == null) {
            return false;
        }
        for (ShardQueue old : leaving) {
            PendingRecord record;
            while ((record = old.poll()) != null) {
                queues.route(record.hashKey()).addLast(record);
            }
            reshards.retire(old);
        }
        return true;
    }

    /** An aggregate of this shard landed elsewhere: it sends nothing more until the map is refreshed. */
    synchronized void holdUntilMapRefresh(ShardQueue queue) {
        queue.holdForMap(true);
    }

    /** Lets every shard send again except those still waiting for a fresher map. */
    synchronized void releaseMapHolds(Set<ShardQueue> stillHeld) {
        for (ShardQueue queue : queues.all()) {
            queue.holdForMap(stillHeld.contains(queue));
        }
    }

    /** Fails nothing itself: hands back every record not finished, emptying the queues (close timed out). */
    synchronized List<PendingRecord> abandonAll() {
        List<PendingRecord> all = new ArrayList<>();
        for (ShardQueue queue : queues.all()) {
            PendingRecord record;
            while ((record = queue.poll()) != null) {
                all.add(record);
            }
        }
        forEachInFlight(all::add);
        return all;
    }

    // ---------------------------------------------------------------- measuring, for hot shards and spreading

    /** A shard found hot in a measuring window, and whether its once-per-interval warning is due. */
    record HotShardReport(ShardState state, boolean warn) {}

    /** Closes a measuring window: updates rates and hot flags; reports the hot shards. */
    synchronized List<HotShardReport> closeWindow(double seconds, long now, long warningIntervalNanos, int hotKeyCount) {
        List<HotShardReport> reports = new ArrayList<>();
        for (ShardQueue queue : queues.open()) {
            if (queue.closeWindow(seconds, !config.aggregation(), config.hotShardFraction())) {
                boolean warn = queue.hotWarningDue(now, warningIntervalNanos);
                reports.add(new HotShardReport(queue.state(hotKeyCount), warn));
            }
        }
        windowsClosed++;
        return reports;
    }

    synchronized long windowsClosed() {
        return windowsClosed;
    }

    /** The queues of the open shards, in shard map order. */
    synchronized List<ShardQueue> shardQueues() {
        return queues.open();
    }

    /** The queue of the shard that owns {@code hashKey} by the current map; null while the map is unknown. */
    synchronized ShardQueue naturalQueue(HashKey hashKey) {
        return queues.map().isKnown() ? queues.route(hashKey) : null;
    }

    /** Calls {@code action} with every record held, queued or in flight. */
    synchronized void forEachHeld(Consumer<PendingRecord> action) {
        for (ShardQueue queue : queues.all()) {
            queue.queued().forEach(action);
        }
        forEachInFlight(action);
    }

    synchronized List<ShardState> states(int hotKeyCount) {
        List<ShardState> states = new ArrayList<>();
        for (ShardQueue queue : queues.all()) {
            states.add(queue.state(hotKeyCount));
        }
        return states;
    }

    synchronized long oldestCreatedNanos() {
        long[] oldest = {Long.MAX_VALUE};
        for (ShardQueue queue : queues.all()) {
            for (PendingRecord record : queue.queued()) {
                oldest[0] = Math.min(oldest[0], record.createdNanos);
                if (record.attemptCount() == 0) {
                    break; // beyond the retried front, records are in creation order
                }
            }
        }
        forEachInFlight(record -> oldest[0] = Math.min(oldest[0], record.createdNanos));
        return oldest[0];
    }

    // ---------------------------------------------------------------- inside

    private void forEachInFlight(Consumer<PendingRecord> action) {
        for (PutBatch batch : inFlight) {
            for (PutBatch.Entry entry : batch.entries()) {
                entry.userRecords().forEach(action);
            }
        }
    }

    private boolean ready(ShardQueue queue, long now) {
        PendingRecord front = queue.peek();
        return front != null && (closed || flushes.flushing() || packer.isFull(queue) || front.attemptCount() > 0
                || now - front.createdNanos >= lingerNanos);
    }

    private boolean waitsForResponse(ShardQueue queue) {
        if (queue.isHeldForMap()) {
            return true;
        }
        if (config.ordered()) {
            return queue.requestsInFlight() > 0 || reshards.blocks(queue);
        }
        return queue.requestsInFlight() >= config.maxInFlightRequestsPerShard();
    }

    private boolean sendable(ShardQueue queue, PutBatch current, long now) {
        if (queue.isEmpty() || queue.peek().held() || now < queue.retryNotBeforeNanos()
                || !ready(queue, now)
                || !queue.limiter().canSend(now, packer.wantedBytes(queue))) {
            return false;
        }
        if (current.carries(queue)) {
            // Already in this request: ordered shards take one entry, the unknown queue and unordered more.
            return !(config.ordered() && !queue.isUnknown());
        }
        return !waitsForResponse(queue);
    }
}
