package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.shardwise.kinesis.ListShardsPager;
import io.shardwise.kinesis.StreamReference;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The loop of the local event source mapping: one polling thread reads each shard whose parents
 * are finished with GetRecords and deals the records into the shard's lanes by partition key (one
 * lane per concurrent batch, {@code ParallelizationFactor} of them); a lane with a batch ready and
 * nothing in flight is invoked on a worker thread, and the outcome moves the lane's checkpoint as
 * Lambda would (whole batch on success, up to the lowest reported failure with
 * ReportBatchItemFailures, nothing on a function error; bisect, retry limits and record age decide
 * when a failing batch is given up and handed to the on-failure callback).
 *
 * <p>Each lane has at most one batch in flight and keeps its records in order, so every partition
 * key is delivered in order, one batch at a time, while the sequence numbers of a shard's
 * concurrent batches interleave. With ParallelizationFactor 1 a single worker runs every
 * invocation, one at a time across all shards (handlers need not be thread-safe); above 1,
 * invocations of different lanes and shards run concurrently.
 */
final class EventSourcePoller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourcePoller.class);
    private static final Duration RELIST_INTERVAL = Duration.ofSeconds(10);

    private final EventSourceSettings settings;
    private final EventSourceEvents events;
    private final ExecutorService workers;
    private final List<EventSourceShard> shards = new CopyOnWriteArrayList<>();
    private final Map<String, EventSourceShard> shardsById = new ConcurrentHashMap<>();
    private final AtomicLong invocations = new AtomicLong();
    private final List<LocalEventSourceMapping.DiscardedBatch> discarded = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile boolean discovered;
    private volatile RuntimeException lastError;
    private volatile Throwable fatal;
    private long lastListNanos;

    EventSourcePoller(EventSourceSettings settings) {
        this.settings = settings;
        this.events = new EventSourceEvents(settings.streamArn(), settings.region(), settings.invokeIdentityArn());
        AtomicLong threadCount = new AtomicLong();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "local-event-source-mapping-" + settings.streamName() + "-invoker-"
                    + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.workers = settings.parallelizationFactor() == 1
                ? Executors.newSingleThreadExecutor(factory) : Executors.newCachedThreadPool(factory);
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!discovered || System.nanoTime() - lastListNanos > RELIST_INTERVAL.toNanos()) {
                    listShards();
                }
                boolean worked = false;
                for (EventSourceShard shard : shards) {
                    if (!running) {
                        return;
                    }
                    worked |= step(shard);
                }
                lastError = null;
                if (!worked) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                lastError = e;
                LOG.warn("local event source mapping of {}: {}; retrying", settings.streamName(), e.toString());
                sleepQuietly(500);
            } catch (Error e) {
                fatal = e;
                LOG.error("local event source mapping of {} stopped", settings.streamName(), e);
                throw e;
            }
        }
    }

    /** What stopped the polling thread for good, or null. */
    Throwable fatal() {
        return fatal;
    }

    void stop() {
        running = false;
    }

    /** Stops the workers, waiting for invocations in progress to end. */
    void shutdownWorkers(Duration timeout) throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
        }
    }

    /** Every batch given up so far, in the order it was given up. */
    List<LocalEventSourceMapping.DiscardedBatch> discarded() {
        return List.copyOf(discarded);
    }

    long invocationCount() {
        return invocations.get();
    }

    RuntimeException lastError() {
        return lastError;
    }

    /** True when, at polls begun after {@code sinceNanos}, no shard had anything left to deliver. */
    boolean idleSince(long sinceNanos) {
        if (!discovered) {
            return false;
        }
        for (EventSourceShard shard : shards) {
            if (!shard.idleSince(sinceNanos)) {
                return false;
            }
        }
        return true;
    }

    /** Advances one shard by at most one GetRecords and one invocation per lane; true when it did something. */
    private boolean step(EventSourceShard shard) {
        if (shard.finished() || !parentsFinished(shard)) {
            return false;
        }
        if (!shard.opened) {
            shard.iterator = openIterator(shard);
            shard.opened = true;
        }
        boolean worked = fetchIfDue(shard);
        for (EventSourceLane lane : shard.lanes) {
            worked |= dispatchIfReady(shard, lane);
        }
        return worked;
    }

    /** A parent that is not (or no longer) in the stream's shard list counts as finished. */
    private boolean parentsFinished(EventSourceShard shard) {
        for (String parentId : shard.parentShardIds) {
            EventSourceShard parent = shardsById.get(parentId);
            if (parent != null && !parent.finished()) {
                return false;
            }
        }
        return true;
    }

    private String openIterator(EventSourceShard shard) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder()
                .streamName(settings.streamName()).shardId(shard.shardId);
        if (shard.lastFetchedSequence != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(shard.lastFetchedSequence);
        } else if (!shard.fromStartingPosition) {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        } else {
            switch (settings.startingPosition()) {
                case TRIM_HORIZON -> request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                case LATEST -> request.shardIteratorType(ShardIteratorType.LATEST);
                case AT_TIMESTAMP -> request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                        .timestamp(settings.startingPositionTimestamp());
                default -> throw new IllegalStateException("unknown starting position " + settings.startingPosition());
            }
        }
        return settings.kinesis().getShardIterator(request.build()).shardIterator();
    }

    private boolean fetchIfDue(EventSourceShard shard) {
        int capacity = settings.batchSize() * shard.lanes.length;
        int pending = shard.pendingCount();
        if (shard.ended || pending >= capacity) {
            return false;
        }
        long now = System.nanoTime();
        if (!shard.lastPollHadRecords && now - shard.lastPollNanos < settings.pollInterval().toNanos()
                && shard.lastPollNanos != 0) {
            return false;
        }
        Instant wallNow = Instant.now();
        int limit = Math.max(1, Math.min(10_000, capacity - pending));
        GetRecordsResponse response;
        try {
            response = settings.kinesis().getRecords(b -> b.shardIterator(shard.iterator).limit(limit));
        } catch (ExpiredIteratorException e) {
            shard.iterator = openIterator(shard);
            return false;
        }
        shard.lastPollNanos = now;
        List<Record> records = response.records();
        shard.lastPollHadRecords = !records.isEmpty();
        for (Record record : records) {
            shard.laneOf(record.partitionKey()).add(record, now);
        }
        if (!records.isEmpty()) {
            shard.lastFetchedSequence = records.get(records.size() - 1).sequenceNumber();
        }
        shard.iterator = response.nextShardIterator();
        if (shard.iterator == null) {
            addChildren(response.childShards());
            shard.ended = true;
            lastListNanos = 0; // look for shards the child list did not name
        } else if (records.isEmpty() && (response.millisBehindLatest() == null || response.millisBehindLatest() == 0)) {
            shard.caughtUpPollStart = wallNow;
            shard.caughtUpPollStartNanos = now;
        }
        return !records.isEmpty();
    }

    private boolean batchReady(EventSourceShard shard, EventSourceLane lane, int available) {
        int wanted = lane.bisectLimit > 0 ? Math.min(lane.bisectLimit, settings.batchSize()) : settings.batchSize();
        return available >= wanted || shard.ended || lane.failedAttempts > 0 || lane.bisectLimit > 0
                || System.nanoTime() - lane.pendingSinceNanos >= settings.batchingWindow().toNanos();
    }

    /** What one invocation of a lane delivers: a batch, or a tumbling window's final call. */
    private record Planned(List<Record> batch, boolean finalWindowInvoke, Instant windowStart, Instant windowEnd,
                           Map<String, String> state) {
    }

    /** Starts the lane's next invocation on a worker when one is due; true when it did. */
    private boolean dispatchIfReady(EventSourceShard shard, EventSourceLane lane) {
        Planned planned;
        synchronized (lane) {
            if (lane.busy) {
                return false;
            }
            discardExpired(shard, lane);
            planned = settings.windowed() ? planWindowed(shard, lane) : planBatch(shard, lane);
            if (planned == null) {
                return false;
            }
            lane.busy = true;
        }
        try {
            workers.execute(() -> invoke(shard, lane, planned));
        } catch (RejectedExecutionException e) {
            synchronized (lane) {
                lane.busy = false; // stopping
            }
            return false;
        }
        return true;
    }

    private int batchLimit(EventSourceLane lane) {
        return lane.bisectLimit > 0 ? Math.min(settings.batchSize(), lane.bisectLimit) : settings.batchSize();
    }

    private Planned planBatch(EventSourceShard shard, EventSourceLane lane) {
        if (lane.pending.isEmpty() || !batchReady(shard, lane, lane.pending.size())) {
            return null;
        }
        List<Record> batch = new ArrayList<>();
        for (Record r : lane.pending) {
            if (batch.size() == batchLimit(lane)) {
                break;
            }
            batch.add(r);
        }
        return new Planned(batch, false, null, null, null);
    }

    /**
     * Tumbling windows: a batch holds records of one window only (by arrival time, windows
     * aligned to the epoch). A window ends with a final invocation without records once a record
     * of a later window is next, or once its end has passed and a poll after it found the shard
     * caught up (or the shard ended).
     */
    private Planned planWindowed(EventSourceShard shard, EventSourceLane lane) {
        Record head = lane.pending.peekFirst();
        if (lane.windowStart != null) {
            boolean headInWindow = head != null && windowStartOf(head).equals(lane.windowStart);
            if (!headInWindow) {
                boolean over = head != null || (!Instant.now().isBefore(lane.windowEnd)
                        && (shard.ended || shard.caughtUpSince(lane.windowEnd)));
                return over ? new Planned(List.of(), true, lane.windowStart, lane.windowEnd,
                        lane.windowState) : null;
            }
        }
        if (head == null) {
            return null;
        }
        Instant start = windowStartOf(head);
        List<Record> batch = new ArrayList<>();
        for (Record r : lane.pending) {
            if (batch.size() == batchLimit(lane) || !windowStartOf(r).equals(start)) {
                break;
            }
            batch.add(r);
        }
        boolean windowComplete = batch.size() < lane.pending.size(); // a later window's record follows
        if (!windowComplete && !batchReady(shard, lane, batch.size())) {
            return null;
        }
        if (lane.windowStart == null) {
            lane.windowStart = start;
            lane.windowEnd = start.plus(settings.tumblingWindow());
            lane.windowState = Map.of();
        }
        return new Planned(batch, false, lane.windowStart, lane.windowEnd, lane.windowState);
    }

    private Instant windowStartOf(Record record) {
        long size = settings.tumblingWindow().toMillis();
        long arrival = record.approximateArrivalTimestamp().toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(arrival, size) * size);
    }

    /** Runs one invocation on a worker thread and applies its outcome to the lane. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void invoke(EventSourceShard shard, EventSourceLane lane, Planned planned) {
        List<Record> batch = planned.batch();
        String eventJson;
        String responseJson = null;
        Throwable error = null;
        try {
            eventJson = settings.windowed()
                    ? events.windowEventJson(shard.shardId, batch, planned.windowStart(), planned.windowEnd(),
                            planned.state(), planned.finalWindowInvoke())
                    : events.eventJson(shard.shardId, batch);
            Object event = settings.windowed() ? events.windowEvent(eventJson) : events.event(eventJson);
            try {
                Object response = ((RequestHandler) settings.handler()).handleRequest(event,
                        new EventSourceContext(settings.functionName(), settings.region(), settings.functionTimeout()));
                responseJson = EventSourceEvents.responseJson(response);
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable t) {
                // Whatever the handler throws, a StackOverflowError or an AssertionError included, is a
                // function error to Lambda.
                error = t;
            }
        } catch (RuntimeException | Error e) {
            synchronized (lane) {
                lane.busy = false;
            }
            if (e instanceof Error) {
                fatal = e;
            } else {
                lastError = (RuntimeException) e;
            }
            LOG.error("local event source mapping of {}: could not invoke on {}", settings.streamName(), shard.shardId, e);
            return;
        }
        invocations.incrementAndGet();

        List<String> reported = List.of();
        try {
            synchronized (lane) {
                reported = applyOutcome(lane, shard, planned, responseJson, error);
            }
            LocalEventSourceMapping.Invocation invocation = new LocalEventSourceMapping.Invocation(shard.shardId,
                    batch.stream().map(Record::sequenceNumber).toList(), eventJson, responseJson, error, reported);
            notify(settings.invocationListener(), invocation);
        } finally {
            // Only now is the lane idle: awaitIdle returns after the listener heard of the invocation.
            synchronized (lane) {
                lane.busy = false;
            }
        }
    }

    /** Moves the lane as Lambda would after the invocation; returns the identifiers read from the response. */
    private List<String> applyOutcome(EventSourceLane lane, EventSourceShard shard, Planned planned,
                                      String responseJson, Throwable error) {
        List<Record> batch = planned.batch();
        if (error != null) {
            if (planned.finalWindowInvoke()) {
                LOG.debug("the final invocation of a window of {} failed: {}; retrying it", shard.shardId, error.toString());
                return List.of(); // Lambda pauses the shard until the final invocation succeeds
            }
            functionError(shard, lane, batch, error.toString());
            return List.of();
        }
        Map<String, String> state = null;
        if (settings.windowed()) {
            state = EventSourceEvents.windowState(responseJson);
            if (state == null) {
                if (!planned.finalWindowInvoke()) {
                    functionError(shard, lane, batch, "the response of a tumbling-window invocation has no state");
                }
                return List.of();
            }
            if (planned.finalWindowInvoke()) {
                lane.closeWindow();
                return List.of();
            }
            lane.windowState = state;
        }
        if (!settings.reportBatchItemFailures()) {
            succeeded(lane, batch.size());
            return List.of();
        }
        Set<String> sequences = new HashSet<>();
        batch.forEach(r -> sequences.add(r.sequenceNumber()));
        EventSourceEvents.BatchItemFailures failures = EventSourceEvents.batchItemFailures(responseJson, sequences);
        if (failures.wholeBatchFailed()) {
            functionError(shard, lane, batch, "invalid partial batch response: " + failures.reason());
        } else if (failures.identifiers().isEmpty()) {
            succeeded(lane, batch.size());
        } else {
            partiallyFailed(shard, lane, batch, failures.identifiers());
        }
        return failures.identifiers();
    }

    private void succeeded(EventSourceLane lane, int count) {
        lane.removeHead(count);
        lane.failedAttempts = 0;
        lane.attemptStartSequence = null;
    }

    /** Counts a failed attempt at the batch starting with {@code start}. */
    private static void countAttempt(EventSourceLane lane, String start) {
        if (!start.equals(lane.attemptStartSequence)) {
            lane.attemptStartSequence = start;
            lane.failedAttempts = 0;
        }
        lane.failedAttempts++;
    }

    /** Lambda resumes from the lowest reported sequence number: the records before it are done. */
    private void partiallyFailed(EventSourceShard shard, EventSourceLane lane, List<Record> batch,
                                 List<String> identifiers) {
        BigInteger lowest = identifiers.stream().map(BigInteger::new).min(BigInteger::compareTo).orElseThrow();
        int index = 0;
        while (!new BigInteger(batch.get(index).sequenceNumber()).equals(lowest)) {
            index++;
        }
        if (index > 0) {
            lane.removeHead(index);
        }
        countAttempt(lane, batch.get(index).sequenceNumber());
        if (retriesExhausted(lane)) {
            discard(shard, lane, batch.subList(index, batch.size()),
                    LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED, "batch item failure reported for " + lowest);
        }
    }

    /** The handler threw (or answered nonsense): retry the whole batch, or split it when bisecting. */
    private void functionError(EventSourceShard shard, EventSourceLane lane, List<Record> batch, String error) {
        LOG.debug("function error on {} at {}: {}", shard.shardId, batch.get(0).sequenceNumber(), error);
        if (settings.bisectBatchOnFunctionError() && batch.size() > 1) {
            if (lane.bisectLimit == 0) {
                lane.bisectRemaining = batch.size();
            }
            lane.bisectLimit = (batch.size() + 1) / 2; // splitting does not count as a retry
            return;
        }
        countAttempt(lane, batch.get(0).sequenceNumber());
        if (retriesExhausted(lane)) {
            discard(shard, lane, batch, LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED, error);
        }
    }

    private boolean retriesExhausted(EventSourceLane lane) {
        return settings.maximumRetryAttempts() >= 0 && lane.failedAttempts > settings.maximumRetryAttempts();
    }

    private void discardExpired(EventSourceShard shard, EventSourceLane lane) {
        if (settings.maximumRecordAge() == null) {
            return;
        }
        Instant oldest = Instant.now().minus(settings.maximumRecordAge());
        List<Record> expired = new ArrayList<>();
        for (Record r : lane.pending) {
            if (!r.approximateArrivalTimestamp().isBefore(oldest)) {
                break;
            }
            expired.add(r);
        }
        if (!expired.isEmpty()) {
            discard(shard, lane, expired, LocalEventSourceMapping.DiscardReason.RECORD_AGE_EXCEEDED,
                    "older than the maximum record age " + settings.maximumRecordAge());
        }
    }

    /** Gives up the head of the lane's pending records and tells the on-failure destination. */
    private void discard(EventSourceShard shard, EventSourceLane lane, List<Record> records,
                         LocalEventSourceMapping.DiscardReason reason, String error) {
        Record first = records.get(0);
        Record last = records.get(records.size() - 1);
        LocalEventSourceMapping.DiscardedBatch batch = new LocalEventSourceMapping.DiscardedBatch(
                settings.streamArn(), shard.shardId, first.sequenceNumber(), last.sequenceNumber(), records.size(),
                first.approximateArrivalTimestamp(), last.approximateArrivalTimestamp(), reason,
                lane.failedAttempts, error);
        LOG.info("discarding {} records of {} ({}): {}", records.size(), shard.shardId, reason, error);
        lane.removeHead(records.size());
        lane.failedAttempts = 0;
        lane.attemptStartSequence = null;
        discarded.add(batch);
        notify(settings.onFailure(), batch);
    }

    /** A callback that throws must not corrupt the shard's state: log it and go on. */
    private static <T> void notify(java.util.function.Consumer<T> callback, T value) {
        try {
            callback.accept(value);
        } catch (RuntimeException e) {
            LOG.warn("a local event source mapping callback threw on {}", value, e);
        }
    }

    private void listShards() {
        ListShardsPager pager = new ListShardsPager(StreamReference.ofName(settings.streamName()));
        for (Shard shard : pager.listAll(settings.kinesis()::listShards)) {
            List<String> parents = new ArrayList<>(2);
            if (shard.parentShardId() != null) {
                parents.add(shard.parentShardId());
            }
            if (shard.adjacentParentShardId() != null) {
                parents.add(shard.adjacentParentShardId());
            }
            addShard(shard.shardId(), parents, !discovered);
        }
        lastListNanos = System.nanoTime();
        discovered = true;
    }

    private void addChildren(List<ChildShard> children) {
        if (children == null) {
            return;
        }
        for (ChildShard child : children) {
            addShard(child.shardId(), child.parentShards(), false);
        }
    }

    private void addShard(String shardId, List<String> parents, boolean fromStartingPosition) {
        if (!shardsById.containsKey(shardId)) {
            EventSourceShard shard = new EventSourceShard(shardId, parents, fromStartingPosition,
                    settings.parallelizationFactor());
            shardsById.put(shardId, shard);
            shards.add(shard);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
