package io.shardwise.producer;

import io.shardwise.aggregation.KinesisRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The producer's background thread (plus one thread that hands requests to the client, which marshals
 * and signs them on the caller's thread). Each turn it: runs the answers that arrived, refreshes the
 * shard map when due, expires records whose time to live is over, closes the hot-shard measuring
 * window, drains ready records into PutRecords requests and sends them with the async client, then
 * sleeps until the next thing is due or it is woken. Answers are handled on this thread too (they are
 * handed over from the client's I/O threads), so user futures complete here: callbacks that block
 * should use the {@code ...Async} methods of {@code CompletableFuture}.
 */
final class Sender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAP_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int HOT_KEYS_REPORTED = 5;

    private final ProducerConfig config;
    private final RecordAccumulator accumulator;
    private final MemoryBudget budget;
    private final KinesisAsyncClient kinesis;
    private final ShardMapLoader mapLoader;
    private final ProducerMetrics metrics;
    private final Backoff backoff;
    private final ThrottleBackoff throttleBackoff;
    private final long ttlNanos;
    private final AwsRequestOverrideConfiguration requestOverride;
    /** True when the client carries a {@link PutRecordsBodyInterceptor}: the producer writes PutRecords bodies itself. */
    private final boolean writesBodies;
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> firstMap = new CompletableFuture<>();
    /** Answers handled this turn whose futures complete once the turn's requests are dispatched. */
    private final java.util.ArrayDeque<Runnable> resultsToDeliver = new java.util.ArrayDeque<>();

    private volatile Thread thread;
    /** Hands requests to the client (bounded by maxInFlightRequests, so its queue is too). */
    private ExecutorService caller;
    private volatile boolean stopRequested;
    private boolean mapLoading;
    private boolean mapRefreshWanted;
    private long nextMapRefreshNanos;
    private long windowStartNanos;
    /** Aggregates stored on another shard than predicted, waiting for the map that says which sub-records are off. */
    private final List<Unverified> unverified = new ArrayList<>();

    private record Unverified(PutBatch.Entry entry, PutRecordsResultEntry result, Attempt success) {}

    Sender(ProducerConfig config, RecordAccumulator accumulator, MemoryBudget budget, KinesisAsyncClient kinesis,
           boolean writesBodies, ProducerMetrics metrics) {
        this.writesBodies = writesBodies;
        this.config = config;
        this.accumulator = accumulator;
        this.budget = budget;
        this.kinesis = kinesis;
        this.mapLoader = new ShardMapLoader(kinesis, config.stream());
        this.metrics = metrics;
        this.backoff = new Backoff(config.retryBaseDelay(), config.retryMaxDelay());
        this.throttleBackoff = new ThrottleBackoff(config.retryBaseDelay(), config.retryMaxDelay());
        this.ttlNanos = config.recordTtl().toNanos();
        this.requestOverride = AwsRequestOverrideConfiguration.builder().apiCallTimeout(config.requestTimeout()).build();
    }

    void start(String threadName) {
        caller = Executors.newSingleThreadExecutor(r -> {
            Thread callerThread = new Thread(r, threadName + "-call");
            callerThread.setDaemon(true);
            return callerThread;
        });
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Completes when the first shard map loaded (or failed to): lets callers wait for aggregation to be possible. */
    CompletableFuture<Void> firstShardMap() {
        return firstMap;
    }

    /** Stops the loop and waits for the thread to end. Requests in flight are left to the caller to fail. */
    void stop() throws InterruptedException {
        stopRequested = true;
        wakeUp();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        caller.shutdown();
    }

    void requestMapRefresh() {
        events.add(() -> mapRefreshWanted = true);
        wakeUp();
    }

    @Override
    public void run() {
        windowStartNanos = System.nanoTime();
        while (!stopRequested) {
            try {
                turn();
            } catch (RuntimeException | Error e) {
                // A bug must not stop the sender silently: every future depends on it.
                log.error("producer sender turn failed; continuing", e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private void turn() {
        Runnable event;
        while ((event = events.poll()) != null) {
            event.run();
        }
        long now = System.nanoTime();
        maybeRefreshMap(now);
        List<PendingRecord> expired = accumulator.expire(now);
        if (!expired.isEmpty()) {
            metrics.userRecordsExpired(expired.size());
            fail(expired, record -> new RecordExpiredException(config.recordTtl(), record.attempts()));
        }
        expireUnverified(now);
        if (now - windowStartNanos >= WINDOW_NANOS) {
            closeWindow(now);
        }
        for (PutBatch batch : accumulator.drain(now)) {
            dispatch(batch);
        }
        Runnable delivery;
        while ((delivery = resultsToDeliver.poll()) != null) {
            delivery.run();
        }
        if (!events.isEmpty() || stopRequested) {
            return;
        }
        long nextHousekeeping = Math.min(windowStartNanos + WINDOW_NANOS, nextMapRefreshNanos);
        long wake = Math.min(accumulator.nextWakeNanos(now, Math.max(0, nextHousekeeping - now)),
                earliestUnverifiedDeadline());
        long sleep = wake - System.nanoTime();
        if (sleep > 0) {
            LockSupport.parkNanos(this, sleep);
        }
    }

    // ---------------------------------------------------------------- shard map

    private void maybeRefreshMap(long now) {
        if (mapLoading || !(mapRefreshWanted || now >= nextMapRefreshNanos)) {
            return;
        }
        mapLoading = true;
        mapRefreshWanted = false;
        CompletableFuture<ShardMap> loading;
        try {
            loading = mapLoader.load();
        } catch (RuntimeException e) {
            loading = CompletableFuture.failedFuture(e);
        }
        loading.whenComplete((map, error) -> {
            events.add(() -> mapLoaded(map, error));
            wakeUp();
        });
    }

    private void mapLoaded(ShardMap map, Throwable error) {
        mapLoading = false;
        long now = System.nanoTime();
        if (error != null || !map.isKnown()) {
            ErrorClassifier.Failure failure = error == null
                    ? new ErrorClassifier.Failure(ErrorClassifier.Kind.RETRIABLE, "NoOpenShards", "ListShards returned no open shard")
                    : ErrorClassifier.ofCall(error);
            log.warn("could not load the shard map of stream {}: {} {}; records go unaggregated until it loads",
                    config.stream(), failure.code(), failure.message());
            nextMapRefreshNanos = now + MAP_RETRY_NANOS;
            firstMap.complete(null);
            return;
        }
        if (accumulator.applyShardMap(map, now)) {
            log.info("stream {}: shard map now {}", config.stream(), map);
        }
        nextMapRefreshNanos = now + config.shardMapRefreshInterval().toNanos();
        verifyMisplacedAggregates(map);
        firstMap.complete(null);
    }

    /**
     * An aggregate built from a stale map (the shard split or merged after the last refresh) is stored
     * on the shard that owns its outer hash key; its sub-records whose hash keys that shard does not own
     * would be skipped by range-aware readers (the KCL and ours drop them). Now that the map is fresh,
     * those sub-records go back, at the front, to the queue of the shard that owns them; the others are
     * confirmed. Until then the stale shard's queue was held, so nothing of those keys overtook them.
     */
    private void verifyMisplacedAggregates(ShardMap map) {
        Outcome outcome = new Outcome();
        long now = System.nanoTime();
        List<Unverified> waiting = new ArrayList<>();
        for (Unverified u : unverified) {
            ShardMap.Shard actual = map.byId(u.result().shardId());
            if (actual == null) {
                waiting.add(u); // the map still lags behind Kinesis: look again soon
                continue;
            }
            List<PendingRecord> users = u.entry().userRecords();
            for (int i = 0; i < users.size(); i++) {
                PendingRecord record = users.get(i);
                if (record.done) {
                    continue; // expired while the map did not know the shard
                }
                if (actual.contains(record.hashKey())) {
                    record.addAttempt(u.success());
                    outcome.stored.add(record);
                    outcome.results.add(new SendResult(actual.shardId(), u.result().sequenceNumber(), i, record.attempts()));
                } else {
                    record.addAttempt(new Attempt(u.success().startedAt(), u.success().duration(),
                            "StoredOutsideShardRange", "aggregate landed on " + actual.shardId()
                            + " after a reshard; this sub-record's hash key belongs to another shard"));
                    outcome.retry.computeIfAbsent(u.entry().queue(), q -> new ArrayList<>()).add(record);
                }
            }
        }
        unverified.clear();
        unverified.addAll(waiting);
        java.util.Set<ShardQueue> stillHeld = new java.util.HashSet<>();
        waiting.forEach(u -> stillHeld.add(u.entry().queue()));
        accumulator.releaseMapHolds(stillHeld);
        if (!waiting.isEmpty()) {
            nextMapRefreshNanos = now + MAP_RETRY_NANOS;
        }
        outcome.retry.forEach((queue, records) -> {
            log.info("stream {}: re-sending {} sub-records of an aggregate stored on a shard that no longer "
                    + "owns their hash keys (built before a reshard); range-aware readers skip the stale copies",
                    config.stream(), records.size());
            metrics.retries(records.size());
            accumulator.requeue(queue, records, now);
        });
        complete(outcome.stored, outcome.results);
    }

    /**
     * Sub-records of a misplaced aggregate keep their time to live while they wait for a map that lists
     * the shard the aggregate landed on. That shard may have closed before the map reloaded (the map
     * holds open shards only), so the wait can be endless: past their deadline they expire, like queued
     * records, and a shard whose misplaced aggregates are all finished sends again.
     */
    private void expireUnverified(long now) {
        if (unverified.isEmpty()) {
            return;
        }
        List<PendingRecord> expired = new ArrayList<>();
        for (Unverified u : unverified) {
            for (PendingRecord record : u.entry().userRecords()) {
                if (!record.done && now >= record.deadlineNanos(ttlNanos)) {
                    record.addAttempt(new Attempt(u.success().startedAt(), u.success().duration(), "ShardNotInMap",
                            "aggregate landed on " + u.result().shardId() + ", which the shard map does not list "
                            + "(it closed before the map reloaded, or the map lags); whether that shard owns this "
                            + "sub-record's hash key is unknown"));
                    expired.add(record);
                }
            }
        }
        if (expired.isEmpty()) {
            return;
        }
        metrics.userRecordsExpired(expired.size());
        fail(expired, record -> new RecordExpiredException(config.recordTtl(), record.attempts()));
        unverified.removeIf(u -> u.entry().userRecords().stream().allMatch(record -> record.done));
        java.util.Set<ShardQueue> stillHeld = new java.util.HashSet<>();
        unverified.forEach(u -> stillHeld.add(u.entry().queue()));
        accumulator.releaseMapHolds(stillHeld);
    }

    private long earliestUnverifiedDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Unverified u : unverified) {
            for (PendingRecord record : u.entry().userRecords()) {
                if (!record.done) {
                    earliest = Math.min(earliest, record.deadlineNanos(ttlNanos));
                }
            }
        }
        return earliest;
    }

    /** Records of misplaced aggregates still unverified when the producer closes. */
    List<PendingRecord> abandonUnverified() {
        List<PendingRecord> records = new ArrayList<>();
        unverified.forEach(u -> records.addAll(u.entry().userRecords()));
        unverified.clear();
        return records;
    }

    // ---------------------------------------------------------------- sending

    private void dispatch(PutBatch batch) {
        batch.sentAt = Instant.now();
        batch.sentAtNanos = System.nanoTime();
        try {
            // Encoding aggregates, and the SDK's marshalling and signing (a SHA-256 of the body), happen
            // on a second thread while this one prepares the next requests.
            caller.execute(() -> call(batch));
        } catch (RejectedExecutionException stopped) {
            call(batch);
        }
    }

    private void call(PutBatch batch) {
        CompletableFuture<PutRecordsResponse> call;
        try {
            call = kinesis.putRecords(writesBodies ? requestWithBody(batch) : request(batch));
            // The client marshalled the call before returning: the aggregates may be collected now.
            batch.entries.forEach(PutBatch.Entry::release);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> {
            long endNanos = System.nanoTime();
            events.add(() -> answered(batch, response, error, endNanos));
            wakeUp();
        });
    }

    private PutRecordsRequest request(PutBatch batch) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(batch.entries.size());
        for (PutBatch.Entry entry : batch.entries) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(entry.record().partitionKey())
                    .explicitHashKey(entry.record().explicitHashKey())
                    .data(SdkBytes.fromByteArrayUnsafe(entry.record().data()))
                    .build());
        }
        return config.stream().apply(PutRecordsRequest.builder()).records(entries).overrideConfiguration(requestOverride).build();
    }

    /** The same call with its records in a {@link PutRecordsBody} that the client's interceptor sends as they are. */
    private PutRecordsRequest requestWithBody(PutBatch batch) {
        List<PutRecordsBody.Entry> entries = new ArrayList<>(batch.entries.size());
        for (PutBatch.Entry entry : batch.entries) {
            KinesisRecord record = entry.record();
            entries.add(new PutRecordsBody.Entry(record.partitionKey(), record.explicitHashKey(), record.data()));
        }
        return config.stream().apply(PutRecordsRequest.builder()).overrideConfiguration(requestOverride.toBuilder()
                .putExecutionAttribute(PutRecordsBodyInterceptor.BODY, new PutRecordsBody(entries)).build()).build();
    }

    // ---------------------------------------------------------------- answers

    private void answered(PutBatch batch, PutRecordsResponse response, Throwable error, long endNanos) {
        accumulator.completed(batch);
        Duration took = Duration.ofNanos(endNanos - batch.sentAtNanos);
        metrics.requestLatency(endNanos - batch.sentAtNanos, error == null);
        metrics.putRecordsAnswered(batch, response, error, endNanos - batch.sentAtNanos);
        Outcome outcome = new Outcome();
        if (error == null && response.records().size() != batch.entries.size()) {
            error = new IllegalStateException("PutRecords answered " + response.records().size()
                    + " entries for " + batch.entries.size());
        }
        if (error != null) {
            ErrorClassifier.Failure failure = ErrorClassifier.ofCall(error);
            if (failure.kind() == ErrorClassifier.Kind.FINAL && error instanceof IllegalStateException) {
                failure = new ErrorClassifier.Failure(ErrorClassifier.Kind.RETRIABLE, "MalformedResponse", error.getMessage());
            }
            Attempt attempt = new Attempt(batch.sentAt, took, failure.code(), failure.message());
            for (ShardQueue queue : batch.queues) {
                if (failure.kind() == ErrorClassifier.Kind.THROTTLED) {
                    outcome.throttledEntries.put(queue, 1);
                    accumulator.throttled(queue, 1, batch.sentAtNanos, endNanos);
                    metrics.throttled(queue.id());
                }
            }
            for (PutBatch.Entry entry : batch.entries) {
                outcome.failed(entry, failure, attempt, endNanos, error);
            }
        } else {
            accumulator.roundTrip(endNanos - batch.sentAtNanos);
            Attempt success = new Attempt(batch.sentAt, took, null, null);
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                PutBatch.Entry entry = batch.entries.get(i);
                PutRecordsResultEntry result = results.get(i);
                if (result.errorCode() == null) {
                    outcome.stored(entry, result, success);
                } else {
                    ErrorClassifier.Failure failure = ErrorClassifier.ofEntry(result.errorCode(), result.errorMessage());
                    if (failure.kind() == ErrorClassifier.Kind.THROTTLED) {
                        outcome.throttledEntries.merge(entry.queue(), 1, Integer::sum);
                        metrics.throttled(entry.queue().id());
                    }
                    outcome.failed(entry, failure, new Attempt(batch.sentAt, took, failure.code(), failure.message()),
                            endNanos, null);
                }
            }
            // One answer is one signal: its throttled entries cut a shard's rate once, however many there are.
            outcome.throttledEntries.forEach((queue, entries) ->
                    accumulator.throttled(queue, entries, batch.sentAtNanos, endNanos));
            for (ShardQueue queue : outcome.succeededQueues) {
                if (!outcome.throttledEntries.containsKey(queue)) {
                    accumulator.succeeded(queue, endNanos);
                }
            }
        }
        outcome.retry.forEach((queue, records) -> {
            int mostAttempts = 0;
            for (PendingRecord record : records) {
                mostAttempts = Math.max(mostAttempts, record.attemptCount());
            }
            metrics.retries(records.size());
            long delay = outcome.throttledEntries.containsKey(queue)
                    ? throttleBackoff.delayNanos(mostAttempts) : backoff.delayNanos(mostAttempts);
            accumulator.requeue(queue, records, endNanos + delay);
        });
        if (outcome.wrongShard) {
            mapRefreshWanted = true;
        }
        // The shards of this answer may send again (failures are back in their queues): completing its
        // futures waits until the next requests are on their way, so that work overlaps the round trip.
        resultsToDeliver.add(() -> deliver(outcome));
    }

    private void deliver(Outcome outcome) {
        complete(outcome.stored, outcome.results);
        if (!outcome.expired.isEmpty()) {
            metrics.userRecordsExpired(outcome.expired.size());
            fail(outcome.expired, record -> new RecordExpiredException(config.recordTtl(), record.attempts()));
        }
        if (!outcome.finalFailures.isEmpty()) {
            metrics.userRecordsFailed(outcome.finalFailures.size());
            fail(outcome.finalFailures, record -> {
                List<Attempt> attempts = record.attempts();
                Attempt last = attempts.get(attempts.size() - 1);
                return new RecordFailedException("record failed with an error that retrying cannot fix: "
                        + last.errorCode() + " (" + last.errorMessage() + ")", attempts, null);
            });
        }
    }

    /** What one answer means for each user record it covered. */
    private final class Outcome {
        final List<PendingRecord> stored = new ArrayList<>();
        final List<SendResult> results = new ArrayList<>();
        final Map<ShardQueue, List<PendingRecord>> retry = new LinkedHashMap<>();
        final List<PendingRecord> expired = new ArrayList<>();
        final List<PendingRecord> finalFailures = new ArrayList<>();
        final List<ShardQueue> succeededQueues = new ArrayList<>();
        final Map<ShardQueue, Integer> throttledEntries = new LinkedHashMap<>();
        boolean wrongShard;

        void stored(PutBatch.Entry entry, PutRecordsResultEntry result, Attempt success) {
            ShardQueue queue = entry.queue();
            if (!queue.isUnknown() && !queue.id().equals(result.shardId())) {
                // Landed elsewhere than predicted: the map is stale (a split or merge). Refresh at once.
                wrongShard = true;
                if (entry.aggregated()) {
                    accumulator.holdUntilMapRefresh(queue);
                    unverified.add(new Unverified(entry, result, success));
                    return;
                }
            }
            if (!succeededQueues.contains(queue)) {
                succeededQueues.add(queue);
            }
            metrics.kinesisRecordPut(entry.userRecords().size(), entry.sizeBytes());
            boolean aggregated = entry.aggregated();
            List<PendingRecord> users = entry.userRecords();
            // Records stored at their first attempt share one immutable history (SendResult copies
            // anything else), instead of one copy per user record.
            List<Attempt> firstTry = List.of(success);
            for (int i = 0; i < users.size(); i++) {
                PendingRecord record = users.get(i);
                List<Attempt> attempts = firstTry;
                if (record.attemptCount() > 0) {
                    record.addAttempt(success);
                    attempts = record.attempts();
                }
                stored.add(record);
                results.add(new SendResult(result.shardId(), result.sequenceNumber(), aggregated ? i : 0, attempts));
            }
        }

        void failed(PutBatch.Entry entry, ErrorClassifier.Failure failure, Attempt attempt, long now, Throwable cause) {
            for (PendingRecord record : entry.userRecords()) {
                record.addAttempt(attempt);
                if (!failure.retriable()) {
                    finalFailures.add(record);
                } else if (now >= record.deadlineNanos(ttlNanos)) {
                    expired.add(record);
                } else {
                    retry.computeIfAbsent(entry.queue(), q -> new ArrayList<>()).add(record);
                }
            }
        }
    }

    // ---------------------------------------------------------------- completing futures

    private void complete(List<PendingRecord> records, List<SendResult> results) {
        if (records.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> flushes = new ArrayList<>(0);
        budget.release(accumulator.finish(records, flushes));
        metrics.userRecordsPut(records.size());
        metrics.userRecordsStored(records, results);
        for (int i = 0; i < records.size(); i++) {
            records.get(i).complete(results.get(i));
        }
        flushes.forEach(f -> f.complete(null));
    }

    void fail(List<PendingRecord> records, java.util.function.Function<PendingRecord, ? extends Throwable> error) {
        List<CompletableFuture<Void>> flushes = new ArrayList<>(0);
        budget.release(accumulator.finish(records, flushes));
        for (PendingRecord record : records) {
            record.completeExceptionally(error.apply(record));
        }
        metrics.userRecordsNotStored(records);
        flushes.forEach(f -> f.complete(null));
    }

    // ---------------------------------------------------------------- hot shards

    private void closeWindow(long now) {
        double seconds = (now - windowStartNanos) / 1e9;
        windowStartNanos = now;
        for (RecordAccumulator.HotShardReport report : accumulator.closeWindow(seconds, now,
                config.hotShardWarningInterval().toNanos(), HOT_KEYS_REPORTED)) {
            ShardState state = report.state();
            metrics.hotShard(state.shardId());
            if (report.warn()) {
                log.warn("stream {}: shard {} is hot: {} records/s, {} bytes/s offered (limits 1000 records/s, "
                                + "1 MiB/s), {} throttles so far; heaviest partition keys: {}",
                        config.stream(), state.shardId(), Math.round(state.recordsPerSecond()),
                        Math.round(state.bytesPerSecond()), state.throttles(), state.hotKeys());
            }
        }
    }
}
