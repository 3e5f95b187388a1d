package io.shardwise.testkit;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The loop of the local event source mapping, on one thread: for each shard whose parents are
 * finished, read with GetRecords, build a batch, invoke the handler, and move the shard's
 * checkpoint as Lambda would (whole batch on success, up to the lowest reported failure with
 * ReportBatchItemFailures, nothing on a function error; bisect, retry limits and record age
 * decide when a failing batch is given up and handed to the on-failure callback).
 *
 * <p>One thread keeps every shard strictly in order, one batch in flight per shard.
 */
final class EventSourcePoller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourcePoller.class);
    private static final Duration RELIST_INTERVAL = Duration.ofSeconds(10);

    private final EventSourceSettings settings;
    private final EventSourceEvents events;
    private final List<EventSourceShard> shards = new CopyOnWriteArrayList<>();
    private final Map<String, EventSourceShard> shardsById = new ConcurrentHashMap<>();
    private final AtomicLong invocations = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean discovered;
    private volatile RuntimeException lastError;
    private volatile Throwable fatal;
    private long lastListNanos;

    EventSourcePoller(EventSourceSettings settings) {
        this.settings = settings;
        this.events = new EventSourceEvents(settings.streamArn(), settings.region(), settings.invokeIdentityArn());
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

    /** Advances one shard by at most one GetRecords and one invocation; true when it did something. */
    private boolean step(EventSourceShard shard) {
        if (shard.finished() || !parentsFinished(shard)) {
            return false;
        }
        if (!shard.opened) {
            shard.iterator = openIterator(shard);
            shard.opened = true;
        }
        boolean fetched = fetchIfDue(shard);
        if (shard.pending.isEmpty() || !batchReady(shard)) {
            return fetched;
        }
        invoke(shard);
        return true;
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
        if (shard.ended || shard.pending.size() >= settings.batchSize()) {
            return false;
        }
        long now = System.nanoTime();
        if (!shard.lastPollHadRecords && now - shard.lastPollNanos < settings.pollInterval().toNanos()
                && shard.lastPollNanos != 0) {
            return false;
        }
        int limit = Math.max(1, Math.min(10_000, settings.batchSize() - shard.pending.size()));
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
        if (!records.isEmpty()) {
            if (shard.pending.isEmpty()) {
                shard.pendingSinceNanos = now;
            }
            shard.pending.addAll(records);
            shard.pendingCount = shard.pending.size();
            shard.lastFetchedSequence = records.get(records.size() - 1).sequenceNumber();
        }
        shard.iterator = response.nextShardIterator();
        if (shard.iterator == null) {
            addChildren(response.childShards());
            shard.ended = true;
            lastListNanos = 0; // look for shards the child list did not name
        } else if (records.isEmpty() && (response.millisBehindLatest() == null || response.millisBehindLatest() == 0)) {
            shard.caughtUpPollStartNanos = now;
        }
        return !records.isEmpty();
    }

    private boolean batchReady(EventSourceShard shard) {
        int wanted = shard.bisectLimit > 0 ? Math.min(shard.bisectLimit, settings.batchSize()) : settings.batchSize();
        return shard.pending.size() >= wanted || shard.ended || shard.failedAttempts > 0 || shard.bisectLimit > 0
                || System.nanoTime() - shard.pendingSinceNanos >= settings.batchingWindow().toNanos();
    }

    private void invoke(EventSourceShard shard) {
        discardExpired(shard);
        if (shard.pending.isEmpty()) {
            return;
        }
        int size = Math.min(settings.batchSize(), shard.pending.size());
        if (shard.bisectLimit > 0) {
            size = Math.min(size, shard.bisectLimit);
        }
        List<Record> batch = new ArrayList<>(size);
        for (Record r : shard.pending) {
            if (batch.size() == size) {
                break;
            }
            batch.add(r);
        }
        String start = batch.get(0).sequenceNumber();
        if (!start.equals(shard.attemptStartSequence)) {
            shard.attemptStartSequence = start;
            shard.failedAttempts = 0;
        }

        String eventJson = events.eventJson(shard.shardId, batch);
        String responseJson = null;
        Throwable error = null;
        try {
            KinesisEvent event = events.event(eventJson);
            Object response = settings.handler().handleRequest(event,
                    new EventSourceContext(settings.functionName(), settings.region(), settings.functionTimeout()));
            responseJson = EventSourceEvents.responseJson(response);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            // Whatever the handler throws, a StackOverflowError or an AssertionError included, is a
            // function error to Lambda.
            error = t;
        }
        invocations.incrementAndGet();

        List<String> reported = List.of();
        if (error != null) {
            functionError(shard, batch, error.toString());
        } else if (!settings.reportBatchItemFailures()) {
            succeeded(shard, batch.size());
        } else {
            Set<String> sequences = new HashSet<>();
            batch.forEach(r -> sequences.add(r.sequenceNumber()));
            EventSourceEvents.BatchItemFailures failures = EventSourceEvents.batchItemFailures(responseJson, sequences);
            reported = failures.identifiers();
            if (failures.wholeBatchFailed()) {
                functionError(shard, batch, "invalid partial batch response: " + failures.reason());
            } else if (failures.identifiers().isEmpty()) {
                succeeded(shard, batch.size());
            } else {
                partiallyFailed(shard, batch, failures.identifiers());
            }
        }
        LocalEventSourceMapping.Invocation invocation = new LocalEventSourceMapping.Invocation(shard.shardId,
                batch.stream().map(Record::sequenceNumber).toList(), eventJson, responseJson, error, reported);
        notify(settings.invocationListener(), invocation);
    }

    private void succeeded(EventSourceShard shard, int count) {
        shard.removeHead(count);
        shard.failedAttempts = 0;
        shard.attemptStartSequence = null;
    }

    /** Lambda resumes from the lowest reported sequence number: the records before it are done. */
    private void partiallyFailed(EventSourceShard shard, List<Record> batch, List<String> identifiers) {
        BigInteger lowest = identifiers.stream().map(BigInteger::new).min(BigInteger::compareTo).orElseThrow();
        int index = 0;
        while (!new BigInteger(batch.get(index).sequenceNumber()).equals(lowest)) {
            index++;
        }
        if (index > 0) {
            shard.removeHead(index);
            shard.attemptStartSequence = batch.get(index).sequenceNumber();
            shard.failedAttempts = 0;
        }
        shard.failedAttempts++;
        if (retriesExhausted(shard)) {
            discard(shard, batch.subList(index, batch.size()), LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED,
                    "batch item failure reported for " + lowest);
        }
    }

    /** The handler threw (or answered nonsense): retry the whole batch, or split it when bisecting. */
    private void functionError(EventSourceShard shard, List<Record> batch, String error) {
        LOG.debug("function error on {} at {}: {}", shard.shardId, batch.get(0).sequenceNumber(), error);
        if (settings.bisectBatchOnFunctionError() && batch.size() > 1) {
            if (shard.bisectLimit == 0) {
                shard.bisectRemaining = batch.size();
            }
            shard.bisectLimit = (batch.size() + 1) / 2; // splitting does not count as a retry
            return;
        }
        shard.failedAttempts++;
        if (retriesExhausted(shard)) {
            discard(shard, batch, LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED, error);
        }
    }

    private boolean retriesExhausted(EventSourceShard shard) {
        return settings.maximumRetryAttempts() >= 0 && shard.failedAttempts > settings.maximumRetryAttempts();
    }

    private void discardExpired(EventSourceShard shard) {
        if (settings.maximumRecordAge() == null) {
            return;
        }
        Instant oldest = Instant.now().minus(settings.maximumRecordAge());
        List<Record> expired = new ArrayList<>();
        for (Record r : shard.pending) {
            if (!r.approximateArrivalTimestamp().isBefore(oldest)) {
                break;
            }
            expired.add(r);
        }
        if (!expired.isEmpty()) {
            discard(shard, expired, LocalEventSourceMapping.DiscardReason.RECORD_AGE_EXCEEDED,
                    "older than the maximum record age " + settings.maximumRecordAge());
        }
    }

    /** Gives up the head of the shard's pending records and tells the on-failure callback. */
    private void discard(EventSourceShard shard, List<Record> records, LocalEventSourceMapping.DiscardReason reason,
                         String error) {
        Record first = records.get(0);
        Record last = records.get(records.size() - 1);
        LocalEventSourceMapping.DiscardedBatch discarded = new LocalEventSourceMapping.DiscardedBatch(
                settings.streamArn(), shard.shardId, first.sequenceNumber(), last.sequenceNumber(), records.size(),
                first.approximateArrivalTimestamp(), last.approximateArrivalTimestamp(), reason,
                shard.failedAttempts, error);
        LOG.info("discarding {} records of {} ({}): {}", records.size(), shard.shardId, reason, error);
        shard.removeHead(records.size());
        shard.failedAttempts = 0;
        shard.attemptStartSequence = null;
        notify(settings.onFailure(), discarded);
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
        String token = null;
        do {
            ListShardsRequest request = token == null
                    ? ListShardsRequest.builder().streamName(settings.streamName()).build()
                    : ListShardsRequest.builder().nextToken(token).build();
            ListShardsResponse response = settings.kinesis().listShards(request);
            for (Shard shard : response.shards()) {
                List<String> parents = new ArrayList<>(2);
                if (shard.parentShardId() != null) {
                    parents.add(shard.parentShardId());
                }
                if (shard.adjacentParentShardId() != null) {
                    parents.add(shard.adjacentParentShardId());
                }
                addShard(shard.shardId(), parents, !discovered);
            }
            token = response.nextToken();
        } while (token != null);
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
            EventSourceShard shard = new EventSourceShard(shardId, parents, fromStartingPosition);
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
