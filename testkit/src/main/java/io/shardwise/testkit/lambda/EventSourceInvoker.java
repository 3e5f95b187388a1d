package io.shardwise.testkit.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Invokes the handler for a lane once its next batch is due and none of its invocations is in
 * flight, on a worker thread: builds the event JSON, deserializes it into the handler's event,
 * invokes the handler with a fresh context, serializes the answer, moves the lane by the outcome
 * and tells the invocation listener. Only then is the lane free for its next invocation.
 *
 * <p>With ParallelizationFactor 1 a single worker runs every invocation, one at a time across all
 * shards (handlers need not be thread-safe); above 1, invocations of different lanes and shards
 * run concurrently.
 */
final class EventSourceInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourceInvoker.class);

    private final EventSourceSettings settings;
    private final EventSourceEvents events;
    private final EventSourceBatcher batcher;
    private final EventSourceOutcomes outcomes;
    private final EventSourceErrors errors;
    private final String functionArn;
    private final ExecutorService workers;
    private final AtomicLong invocations = new AtomicLong();

    EventSourceInvoker(EventSourceSettings settings, EventSourceOutcomes outcomes, EventSourceErrors errors) {
        this.settings = settings;
        this.events = new EventSourceEvents(settings.streamArn(), settings.region(), settings.invokeIdentityArn());
        this.batcher = new EventSourceBatcher(settings);
        this.outcomes = outcomes;
        this.errors = errors;
        this.functionArn = LocalLambdaContext.functionArn(settings.region(), settings.functionName());
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

    /**
     * Starts the lane's next invocation on a worker when one is due, after giving up the lane's
     * records that are too old; true when it started one.
     */
    boolean startIfDue(EventSourceShard shard, EventSourceLane lane) {
        EventSourceBatch batch;
        synchronized (lane) {
            if (lane.busy) {
                return false;
            }
            outcomes.discardExpired(shard, lane);
            batch = batcher.next(shard, lane);
            if (batch == null) {
                return false;
            }
            lane.busy = true;
        }
        try {
            workers.execute(() -> invoke(shard, lane, batch));
        } catch (RejectedExecutionException e) {
            release(lane); // stopping
            return false;
        }
        return true;
    }

    long invocationCount() {
        return invocations.get();
    }

    /** Stops the workers, waiting for invocations in progress to end. */
    void shutdown(Duration timeout) throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
        }
    }

    /** Runs one invocation on a worker thread and applies its outcome to the lane. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void invoke(EventSourceShard shard, EventSourceLane lane, EventSourceBatch batch) {
        List<Record> records = batch.records();
        String eventJson;
        String responseJson = null;
        Throwable error = null;
        try {
            eventJson = settings.windowed()
                    ? events.windowEventJson(shard.shardId, records, batch.windowStart(), batch.windowEnd(),
                            batch.state(), batch.finalWindowInvoke())
                    : events.eventJson(shard.shardId, records);
            Object event = settings.windowed() ? events.windowEvent(eventJson) : events.event(eventJson);
            try {
                Object response = ((RequestHandler) settings.handler()).handleRequest(event,
                        LocalLambdaContext.withTimeout(functionArn, settings.functionTimeout()));
                responseJson = EventSourceEvents.responseJson(response);
            } catch (OutOfMemoryError e) {
                throw e;
            } catch (Throwable t) {
                // Whatever the handler throws, a StackOverflowError or an AssertionError included, is a
                // function error to Lambda.
                error = t;
            }
        } catch (RuntimeException | Error e) {
            release(lane);
            errors.record(e);
            LOG.error("local event source mapping of {}: could not invoke on {}", settings.streamName(), shard.shardId, e);
            return;
        }
        invocations.incrementAndGet();

        try {
            List<String> reported;
            synchronized (lane) {
                reported = outcomes.apply(shard, lane, batch, responseJson, error);
            }
            settings.invocationListener().accept(new LocalEventSourceMapping.Invocation(shard.shardId,
                    records.stream().map(Record::sequenceNumber).toList(), eventJson, responseJson, error, reported));
        } finally {
            // Only now is the lane idle: awaitIdle returns after the listener heard of the invocation.
            release(lane);
        }
    }

    private static void release(EventSourceLane lane) {
        synchronized (lane) {
            lane.busy = false;
        }
    }
}
