package io.shardwise.producer;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The heart of the pipeline: one {@link ShardQueue} per open shard, filled by {@code send} in send
 * order and drained by the sender into PutRecords requests.
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
 * flight, since that request's failures must go out first.
 *
 * <p>All state is guarded by this object's monitor. {@code append} runs on callers' threads; every
 * other method runs on the sender thread.
 */
final class RecordAccumulator {
    private final AccumulatorConfig config;
    private final long lingerNanos;
    private final long ttlNanos;
    /**
     * The time whose rate allowance one entry carries: half the linger time, between 20 and 50 ms, or
     * twice the smoothed round trip when that is longer (so one request in flight per shard still carries
     * the shard's whole rate), at most a second. Short windows mean small entries that fit a shard's
     * bucket while others write it too, and many entries per second, so that the one throttled entry
     * that tells a producer to slow down is a small share of what it sends.
     */
    private final long baseEntryWindowNanos;
    private static final long MIN_ENTRY_WINDOW_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_BASE_ENTRY_WINDOW_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_ENTRY_WINDOW_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /** Smoothed PutRecords round trip (RFC 6298's SRTT, gain 1/8); 0 before the first answer. */
    private long smoothedRoundTripNanos;

    private ShardMap map = ShardMap.UNKNOWN;
    private Map<String, ShardQueue> queues = new LinkedHashMap<>();
    /** The queues in the order of {@code map.shards()}: routing a record is a search and an array read. */
    private ShardQueue[] queueByShardIndex = new ShardQueue[0];
    private ShardQueue unknown;
    private final ReshardReconciler reshards;
    private final Set<PutBatch> inFlight = new LinkedHashSet<>();
    private int rotation;

    private long nextId;
    private long outstanding;
    private final List<FlushWaiter> flushes = new ArrayList<>();
    private boolean closed;
    private boolean draining;
    /** Measuring windows closed so far (key spreading re-reads the shards' rates once per window). */
    private long windowsClosed;

    private static final class FlushWaiter {
        final long upToId;
        long remaining;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        FlushWaiter(long upToId, long remaining) {
            this.upToId = upToId;
            this.remaining = remaining;
        }
    }

    RecordAccumulator(AccumulatorConfig config, ReshardReconciler reshards) {
        this.config = config;
        this.reshards = reshards;
        this.lingerNanos = config.maxBufferedTime().toNanos();
        this.ttlNanos = config.recordTtl().toNanos();
        this.baseEntryWindowNanos = Math.min(MAX_BASE_ENTRY_WINDOW_NANOS, Math.max(MIN_ENTRY_WINDOW_NANOS, lingerNanos / 2));
        this.unknown = newQueue(null, System.nanoTime());
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
        ShardQueue queue = route(record.hashKey());
        record.id = nextId++;
        outstanding++;
        queue.addLast(record);
        queue.countOffered(record);
        return queue.size() == 1 || isFull(queue);
    }

    /** A future that completes when every record appended so far has a result. */
    synchronized CompletableFuture<Void> flush() {
        if (outstanding == 0) {
            return CompletableFuture.completedFuture(null);
        }
        FlushWaiter waiter = new FlushWaiter(nextId - 1, outstanding);
        flushes.add(waiter);
        return waiter.future;
    }

    synchronized ShardMap map() {
        return map;
    }

    // ---------------------------------------------------------------- the sender's side

    /** Stops taking records; everything queued becomes sendable at once. */
    synchronized void close() {
        closed = true;
        draining = true;
    }

    synchronized long outstanding() {
        return outstanding;
    }

    /**
     * Takes the records that are ready (linger over, a full aggregate, a retry, a flush) from every
     * sendable shard and packs them into requests of at most 500 entries and 5 MiB.
     */
    synchronized List<PutBatch> drain(long now) {
        List<PutBatch> batches = new ArrayList<>();
        List<ShardQueue> candidates = allQueues();
        if (candidates.isEmpty() || inFlight.size() >= config.maxInFlightRequests()) {
            return batches;
        }
        PutBatch current = new PutBatch();
        int start = Math.floorMod(rotation++, candidates.size());
        candidates:
        for (int k = 0; k < candidates.size(); k++) {
            ShardQueue queue = candidates.get((start + k) % candidates.size());
            Set<HashKey128> keysInRequest = queue.isUnknown() && config.ordered() ? new HashSet<>() : null;
            while (sendable(queue, current, now)) {
                PutBatch.Entry entry = queue.isUnknown() ? takePlain(queue, keysInRequest)
                        : take(queue, (int) Math.min(entryCap(queue), queue.limiter().availableBytes()));
                if (entry == null) {
                    break;
                }
                if (!current.fits(entry.sizeBytes())) {
                    if (config.ordered() && current.carries(queue)) {
                        putBack(entry); // ordered: this queue already has its one request
                        break;
                    }
                    if (!current.isEmpty()) {
                        batches.add(current);
                    }
                    if (inFlight.size() + batches.size() >= config.maxInFlightRequests()) {
                        putBack(entry);
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
        for (ShardQueue queue : allQueues()) {
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
            at = Math.max(at, now + queue.limiter().nanosUntilSendable(now, wantedBytes(queue)));
            wake = Math.min(wake, at);
        }
        return wake;
    }

    /** Removes queued records whose time to live is over (records in flight wait for their answer). */
    synchronized List<PendingRecord> expire(long now) {
        List<PendingRecord> expired = new ArrayList<>();
        for (ShardQueue queue : allQueues()) {
            // Records are queued in deadline order (retries, being older, go to the front).
            while (!queue.isEmpty() && queue.peek().deadlineNanos(ttlNanos) <= now) {
                expired.add(queue.poll());
            }
        }
        return expired;
    }

    /** The request's answer arrived (or it failed): its shards may send again. */
    synchronized void completed(PutBatch batch) {
        inFlight.remove(batch);
        batch.finished();
        reshards.requestAnswered();
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
            byQueue.computeIfAbsent(route(record.hashKey()), q -> new ArrayList<>()).add(record);
        }
        byQueue.forEach((queue, records) -> queue.requeue(records, notBeforeNanos));
    }

    /**
     * Marks records as finished (their futures are about to complete). Returns the bytes to give back
     * to the memory budget; completes flushes that waited only for these.
     */
    long finish(Collection<PendingRecord> records, List<CompletableFuture<Void>> flushesDone) {
        long freed = 0;
        synchronized (this) {
            for (PendingRecord record : records) {
                if (record.done) {
                    continue;
                }
                record.done = true;
                outstanding--;
                freed += record.budgetBytes();
                for (FlushWaiter flush : flushes) {
                    if (record.id <= flush.upToId) {
                        flush.remaining--;
                    }
                }
            }
            flushes.removeIf(flush -> {
                if (flush.remaining <= 0) {
                    flushesDone.add(flush.future);
                    return true;
                }
                return false;
            });
        }
        return freed;
    }

    /** Installs a new shard map; returns true when the shards changed. */
    synchronized boolean applyShardMap(ShardMap next, long now) {
        if (sameShards(map, next)) {
            return false;
        }
        Map<String, ShardQueue> nextQueues = new LinkedHashMap<>();
        for (ShardMap.Shard shard : next.shards()) {
            ShardQueue existing = queues.get(shard.shardId());
            nextQueues.put(shard.shardId(), existing != null && existing.shard.range().equals(shard.range())
                    ? existing : newQueue(shard, now));
        }
        List<ShardQueue> leaving = new ArrayList<>();
        for (ShardQueue queue : queues.values()) {
            if (nextQueues.get(queue.id()) != queue) {
                leaving.add(queue);
            }
        }
        if (unknown != null && next.isKnown()) {
            leaving.add(unknown);
            unknown = null;
        }
        map = next;
        queues = nextQueues;
        queueByShardIndex = new ShardQueue[next.shards().size()];
        for (int i = 0; i < queueByShardIndex.length; i++) {
            queueByShardIndex[i] = nextQueues.get(next.shards().get(i).shardId());
        }
        for (ShardQueue old : leaving) {
            PendingRecord record;
            while ((record = old.poll()) != null) {
                route(record.hashKey()).addLast(record);
            }
            reshards.retire(old);
        }
        return true;
    }

    /** Fails nothing itself: hands back every record not finished, emptying the queues (close timed out). */
    synchronized List<PendingRecord> abandonAll() {
        List<PendingRecord> all = new ArrayList<>();
        for (ShardQueue queue : allQueues()) {
            PendingRecord record;
            while ((record = queue.poll()) != null) {
                all.add(record);
            }
        }
        for (PutBatch batch : inFlight) {
            for (PutBatch.Entry entry : batch.entries()) {
                all.addAll(entry.userRecords());
            }
        }
        return all;
    }

    // ---------------------------------------------------------------- hot shards

    /** A shard found hot in a measuring window, and whether its once-per-interval warning is due. */
    record HotShardReport(ShardState state, boolean warn) {}

    /** Closes a measuring window: updates rates and hot flags; reports the hot shards. */
    synchronized List<HotShardReport> closeWindow(double seconds, long now, long warningIntervalNanos, int hotKeyCount) {
        List<HotShardReport> reports = new ArrayList<>();
        for (ShardQueue queue : queues.values()) {
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
        return List.copyOf(queues.values());
    }

    /** The queue of the shard that owns {@code hashKey} by the current map; null while the map is unknown. */
    synchronized ShardQueue naturalQueue(HashKey128 hashKey) {
        return map.isKnown() ? route(hashKey) : null;
    }

    /** Calls {@code action} with every record held, queued or in flight. */
    synchronized void forEachHeld(java.util.function.Consumer<PendingRecord> action) {
        for (ShardQueue queue : allQueues()) {
            queue.queued().forEach(action);
        }
        for (PutBatch batch : inFlight) {
            for (PutBatch.Entry entry : batch.entries()) {
                entry.userRecords().forEach(action);
            }
        }
    }

    synchronized void holdUntilMapRefresh(ShardQueue queue) {
        queue.holdForMap(true);
    }

    /** Lets every shard send again except those still waiting for a fresher map. */
    synchronized void releaseMapHolds(Set<ShardQueue> stillHeld) {
        for (ShardQueue queue : allQueues()) {
            queue.holdForMap(stillHeld.contains(queue));
        }
    }

    /** One answer throttled {@code entries} of the shard's entries: counted each, but the rate is cut once. */
    synchronized void throttled(ShardQueue queue, int entries, long sentNanos, long now) {
        queue.throttled(entries, sentNanos, now);
    }

    synchronized void succeeded(ShardQueue queue, long now) {
        queue.limiter().onSuccess(now);
    }

    // ---------------------------------------------------------------- introspection

    synchronized List<ShardState> states(int hotKeyCount) {
        List<ShardState> states = new ArrayList<>();
        for (ShardQueue queue : allQueues()) {
            states.add(queue.state(hotKeyCount));
        }
        return states;
    }

    synchronized long oldestCreatedNanos() {
        long oldest = Long.MAX_VALUE;
        for (ShardQueue queue : allQueues()) {
            for (PendingRecord record : queue.queued()) {
                oldest = Math.min(oldest, record.createdNanos);
                if (record.attemptCount() == 0) {
                    break; // beyond the retried front, records are in creation order
                }
            }
        }
        for (PutBatch batch : inFlight) {
            for (PutBatch.Entry entry : batch.entries()) {
                for (PendingRecord record : entry.userRecords()) {
                    oldest = Math.min(oldest, record.createdNanos);
                }
            }
        }
        return oldest;
    }

    // ---------------------------------------------------------------- inside

    private ShardQueue newQueue(ShardMap.Shard shard, long now) {
        double fraction = shard == null ? 0 : config.shardRateLimitFraction();
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(fraction * ProducerConfig.SHARD_RECORDS_PER_SECOND,
                fraction * ProducerConfig.SHARD_BYTES_PER_SECOND, now);
        return new ShardQueue(shard, limiter, 32);
    }

    private ShardQueue route(HashKey128 hashKey) {
        int index = map.indexFor(hashKey);
        if (index < 0) {
            if (unknown == null) {
                unknown = newQueue(null, System.nanoTime()); // a gap in the map: send plain until it heals
            }
            return unknown;
        }
        return queueByShardIndex[index];
    }

    private List<ShardQueue> allQueues() {
        List<ShardQueue> all = new ArrayList<>(queues.size() + 1);
        all.addAll(queues.values());
        if (unknown != null) {
            all.add(unknown);
        }
        return all;
    }

    private boolean isFull(ShardQueue queue) {
        if (queue.isUnknown() || !config.aggregation()) {
            int requestWorth = config.ordered() && !queue.isUnknown() ? 1 : ProducerConfig.MAX_ENTRIES_PER_REQUEST;
            return queue.size() >= requestWorth;
        }
        return queue.queuedBytes() >= entryCap(queue);
    }

    /** The largest aggregate for this shard now: the configured maximum, or less when its rate allows less. */
    private int entryCap(ShardQueue queue) {
        long window = Math.min(MAX_ENTRY_WINDOW_NANOS, Math.max(baseEntryWindowNanos, 2 * smoothedRoundTripNanos));
        return queue.limiter().entryBytes(config.aggregationMaxBytes(), window);
    }

    /** A PutRecords call was answered after {@code nanos}. */
    synchronized void roundTrip(long nanos) {
        smoothedRoundTripNanos = smoothedRoundTripNanos == 0 ? nanos : smoothedRoundTripNanos + (nanos - smoothedRoundTripNanos) / 8;
    }

    /**
     * The bytes the shard's bucket must hold before its next entry goes: a whole entry's worth (what is
     * queued, with room for the aggregate's framing, up to the entry cap), or the front record alone.
     */
    private long wantedBytes(ShardQueue queue) {
        PendingRecord front = queue.peek();
        if (front == null) {
            return 0;
        }
        if (queue.isUnknown() || !config.aggregation()) {
            return front.kinesisBytes;
        }
        long framed = queue.queuedBytes() + queue.queuedBytes() / 4 + 64;
        return Math.max(front.kinesisBytes, Math.min(entryCap(queue), framed));
    }

    private boolean ready(ShardQueue queue, long now) {
        PendingRecord front = queue.peek();
        return front != null && (draining || !flushes.isEmpty() || isFull(queue) || front.attemptCount() > 0
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
                || !queue.limiter().canSend(now, wantedBytes(queue))) {
            return false;
        }
        if (current.carries(queue)) {
            // Already in this request: ordered shards take one entry, the unknown queue and unordered more.
            return !(config.ordered() && !queue.isUnknown());
        }
        return !waitsForResponse(queue);
    }

    /** One Kinesis record of at most {@code maxBytes} from the front of a known shard's queue: an aggregate, or a plain record. */
    private PutBatch.Entry take(ShardQueue queue, int maxBytes) {
        if (!config.aggregation()) {
            PendingRecord record = queue.poll();
            return plain(queue, record);
        }
        int limit = Math.max(1, maxBytes);
        RecordAggregator aggregator = new RecordAggregator(limit, Integer.MAX_VALUE);
        // Sized for the records of the front's size that fit, so a 1 MiB aggregate's list is not regrown.
        int expected = limit / Math.max(16, queue.peek().kinesisBytes) + 1;
        List<PendingRecord> taken = new ArrayList<>(Math.min(queue.size(), expected));
        PendingRecord next;
        while ((next = queue.peek()) != null && !next.held()) {
            if (aggregator.tryAdd(next.partitionKey, next.explicitHashKey, next.data)) {
                taken.add(queue.poll());
            } else if (aggregator.isEmpty()) {
                return plain(queue, queue.poll()); // larger than an aggregate may be: goes alone
            } else {
                break;
            }
        }
        return new PutBatch.Entry(queue, aggregator, taken);
    }

    /**
     * One plain record from the queue of records without a known shard. In ordered mode a request may
     * not carry two records of one hash key (the first could fail and the second be stored).
     */
    private PutBatch.Entry takePlain(ShardQueue queue, Set<HashKey128> keysInRequest) {
        PendingRecord front = queue.peek();
        if (keysInRequest != null && !keysInRequest.add(front.hashKey())) {
            return null;
        }
        return plain(queue, queue.poll());
    }

    private static PutBatch.Entry plain(ShardQueue queue, PendingRecord record) {
        KinesisRecord kinesisRecord = new KinesisRecord(record.partitionKey, record.explicitHashKey, record.data, 1, false);
        return new PutBatch.Entry(queue, kinesisRecord, List.of(record));
    }

    /** Undoes a take that did not fit into a request. */
    private void putBack(PutBatch.Entry entry) {
        entry.queue().addFirst(entry.userRecords());
    }

    private static boolean sameShards(ShardMap a, ShardMap b) {
        return a.shards().equals(b.shards());
    }
}
