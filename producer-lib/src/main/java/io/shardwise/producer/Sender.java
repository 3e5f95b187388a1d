package io.shardwise.producer;

import io.shardwise.kinesis.AwsErrorClassifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

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
    /** A hot shard is reported at WARN at most once per this interval (every window to metrics). */
    private static final long HOT_SHARD_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SenderConfig config;
    private final RecordAccumulator accumulator;
    private final ReshardReconciler reshards;
    private final MemoryBudget budget;
    private final PutRecordsTransport transport;
    private final ShardMapLoader mapLoader;
    private final ProducerMetrics metrics;
    private final RetryBackoff backoff;
    private final long ttlNanos;
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

    Sender(SenderConfig config, RecordAccumulator accumulator, ReshardReconciler reshards, MemoryBudget budget,
           ShardMapLoader mapLoader, PutRecordsTransport transport, ProducerMetrics metrics) {
        this.reshards = reshards;
        this.config = config;
        this.accumulator = accumulator;
        this.budget = budget;
        this.transport = transport;
        this.mapLoader = mapLoader;
        this.metrics = metrics;
        this.backoff = new RetryBackoff(config.retryBaseDelay(), config.retryMaxDelay());
        this.ttlNanos = config.recordTtl().toNanos();
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
        expireMisplaced(now);
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
                reshards.earliestDeadline());
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
            AwsErrorClassifier.Failure failure = error == null
                    ? new AwsErrorClassifier.Failure(AwsErrorClassifier.Kind.RETRIABLE, "NoOpenShards", "ListShards returned no open shard")
                    : AwsErrorClassifier.ofCall(error);
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
        reconcileMisplacedAggregates(map);
        firstMap.complete(null);
    }

    /** A fresh map: misplaced aggregates on the shards it lists are confirmed or sent again (see {@link ReshardReconciler}). */
    private void reconcileMisplacedAggregates(ShardMap map) {
        if (!reshards.hasMisplaced()) {
            return;
        }
        long now = System.nanoTime();
        ReshardReconciler.Reconciled reconciled = reshards.reconcile(map);
        accumulator.releaseMapHolds(reconciled.stillHeld());
        if (reconciled.mapLags()) {
            nextMapRefreshNanos = now + MAP_RETRY_NANOS;
        }
        reconciled.resend().forEach((queue, records) -> {
            log.info("stream {}: re-sending {} sub-records of an aggregate stored on a shard that no longer "
                    + "owns their hash keys (built before a reshard); range-aware readers skip the stale copies",
                    config.stream(), records.size());
            metrics.retries(records.size());
            accumulator.requeue(queue, records, now);
        });
        complete(reconciled.stored(), reconciled.results());
    }

    /** Sub-records of misplaced aggregates past their time to live fail; their queues may send again. */
    private void expireMisplaced(long now) {
        if (!reshards.hasMisplaced()) {
            return;
        }
        List<PendingRecord> expired = reshards.expire(now);
        if (expired.isEmpty()) {
            return;
        }
        metrics.userRecordsExpired(expired.size());
        fail(expired, record -> new RecordExpiredException(config.recordTtl(), record.attempts()));
        accumulator.releaseMapHolds(reshards.forgetFinished());
    }

    // ---------------------------------------------------------------- sending

    private void dispatch(PutBatch batch) {
        batch.markSent(Instant.now(), System.nanoTime());
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
            call = transport.put(batch);
            // The client marshalled the call before returning: the aggregates may be collected now.
            batch.entries().forEach(PutBatch.Entry::release);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> {
            long endNanos = System.nanoTime();
            events.add(() -> answered(batch, response, error, endNanos));
            wakeUp();
        });
    }

    // ---------------------------------------------------------------- answers

    private void answered(PutBatch batch, PutRecordsResponse response, Throwable error, long endNanos) {
        metrics.requestLatency(endNanos - batch.sentAtNanos(), error == null);
        metrics.putRecordsAnswered(batch, response, error, endNanos - batch.sentAtNanos());
        AnswerOutcome outcome = AnswerOutcome.read(batch, response, error, endNanos, ttlNanos, metrics);
        for (AnswerOutcome.Misplaced m : outcome.misplaced) {
            accumulator.holdUntilMapRefresh(m.entry().queue());
            reshards.misplaced(m.entry(), m.result(), m.success());
        }
        // The request is no longer in flight; one answer is one signal for each shard's rate.
        accumulator.answered(batch, error == null ? endNanos - batch.sentAtNanos() : -1, outcome.throttledEntries,
                outcome.succeededQueues, endNanos);
        outcome.retry.forEach((queue, records) -> {
            int mostAttempts = 0;
            for (PendingRecord record : records) {
                mostAttempts = Math.max(mostAttempts, record.attemptCount());
            }
            metrics.retries(records.size());
            long delay = outcome.throttledEntries.containsKey(queue)
                    ? backoff.afterThrottleNanos(mostAttempts) : backoff.afterFailureNanos(mostAttempts);
            accumulator.requeue(queue, records, endNanos + delay);
        });
        if (outcome.wrongShard) {
            mapRefreshWanted = true;
        }
        // The shards of this answer may send again (failures are back in their queues): completing its
        // futures waits until the next requests are on their way, so that work overlaps the round trip.
        resultsToDeliver.add(() -> deliver(outcome));
    }

    private void deliver(AnswerOutcome outcome) {
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
                HOT_SHARD_WARNING_INTERVAL_NANOS, HOT_KEYS_REPORTED)) {
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
