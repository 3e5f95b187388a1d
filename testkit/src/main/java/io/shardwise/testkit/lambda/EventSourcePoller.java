package io.shardwise.testkit.lambda;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polling thread of the local event source mapping. Each round it lists the stream's shards
 * when that is due ({@link EventSourceShards}); then, for each shard whose parents are finished, it
 * reads records into the shard's lanes with GetRecords ({@link EventSourceReader}) and starts the
 * invocation of every lane whose batch is due ({@link EventSourceInvoker}, which picks the batch
 * with {@link EventSourceBatcher}); each invocation's outcome moves its lane's checkpoint as Lambda
 * would ({@link EventSourceOutcomes}: whole batch on success, up to the lowest reported failure
 * with ReportBatchItemFailures, nothing on a function error; bisect, retry limits and record age
 * decide when a failing batch is given up and handed to the on-failure callback).
 *
 * <p>A lane is one of a shard's {@code ParallelizationFactor} concurrent batch streams, chosen by
 * partition key. Each lane has at most one batch in flight and keeps its records in order, so
 * every partition key is delivered in order, one batch at a time, while the sequence numbers of a
 * shard's concurrent batches interleave.
 */
final class EventSourcePoller implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourcePoller.class);

    private final String streamName;
    private final EventSourceShards shards;
    private final EventSourceReader reader;
    private final EventSourceInvoker invoker;
    private final EventSourceErrors errors;
    private volatile boolean running = true;

    EventSourcePoller(EventSourceSettings settings, EventSourceShards shards, EventSourceInvoker invoker,
                      EventSourceErrors errors) {
        this.streamName = settings.streamName();
        this.shards = shards;
        this.reader = new EventSourceReader(settings, shards);
        this.invoker = invoker;
        this.errors = errors;
    }

    @Override
    public void run() {
        while (running) {
            try {
                shards.listIfDue();
                boolean worked = false;
                for (EventSourceShard shard : shards.all()) {
                    if (!running) {
                        return;
                    }
                    worked |= step(shard);
                }
                errors.clear();
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
                errors.record(e);
                LOG.warn("local event source mapping of {}: {}; retrying", streamName, e.toString());
                sleepQuietly(500);
            } catch (Error e) {
                errors.record(e);
                LOG.error("local event source mapping of {} stopped", streamName, e);
                throw e;
            }
        }
    }

    /** Ends the loop after the current step; the thread's interrupt ends a pause. */
    void stop() {
        running = false;
    }

    /** Advances one shard by at most one GetRecords and one invocation per lane; true when it did something. */
    private boolean step(EventSourceShard shard) {
        if (!shards.readable(shard)) {
            return false;
        }
        boolean worked = reader.readIfDue(shard);
        for (EventSourceLane lane : shard.lanes) {
            worked |= invoker.startIfDue(shard, lane);
        }
        return worked;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
