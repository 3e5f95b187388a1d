package io.shardwise.consumer;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's heartbeat: one conditional write of its liveness item per interval, whatever the
 * number of leases it holds. It also fences the worker itself: when no heartbeat started less than
 * {@code failoverTime - margin} ago succeeded, the worker must assume others will soon see it dead,
 * and {@code onFenced} stops every shard before any other worker may take them.
 */
final class WorkerLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerLiveness.class);

    private final LeaseTable table;
    private final ConsumerSettings settings;
    private final Runnable onFenced;
    private final ScheduledExecutorService timer;
    private volatile long lastSuccessStartNanos;
    private volatile boolean fenced;
    private volatile boolean paused;
    private long counter;

    WorkerLiveness(LeaseTable table, ConsumerSettings settings, Runnable onFenced) {
        this.table = table;
        this.settings = settings;
        this.onFenced = onFenced;
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "shardwise-heartbeat-" + settings.workerId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes the first heartbeat (so others count this worker at once), then keeps beating. */
    void start() {
        counter = table.workerCounter(settings.workerId());
        beat();
        long period = settings.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beatSafely, period, period, TimeUnit.MILLISECONDS);
        // The check runs apart from the heartbeat: a heartbeat stuck in a slow call must not delay the fence.
        long checkPeriod = Math.max(10, period / 10);
        timer.scheduleWithFixedDelay(this::checkFence, checkPeriod, checkPeriod, TimeUnit.MILLISECONDS);
    }

    /** True while this worker may hold leases: its last heartbeat is recent enough. */
    boolean isAlive() {
        return !fenced && System.nanoTime() - lastSuccessStartNanos < settings.selfFenceNanos();
    }

    /** Stops heartbeats without stopping the worker: lets a test show what fencing does. */
    void pause(boolean pause) {
        this.paused = pause;
    }

    private void beatSafely() {
        try {
            if (!paused) {
                beat();
            }
        } catch (RuntimeException e) {
            log.warn("Heartbeat of {} failed: {}", settings.workerId(), e.toString());
        }
    }

    private void checkFence() {
        boolean late = System.nanoTime() - lastSuccessStartNanos >= settings.selfFenceNanos();
        if (late && !fenced) {
            fenced = true;
            log.warn("Worker {} could not heartbeat for {} ms: stopping its shards before others take them",
                    settings.workerId(), settings.selfFenceNanos() / 1_000_000);
            onFenced.run();
        }
    }

    private void beat() {
        long started = System.nanoTime();
        var written = table.heartbeat(settings.workerId(), counter);
        if (written.isPresent()) {
            counter = written.get();
        } else {
            // Someone else wrote our item: a second process with this worker id, or a cleanup. Re-read.
            log.error("Liveness item of worker {} was changed by another process: is the worker id unique?",
                    settings.workerId());
            counter = table.workerCounter(settings.workerId());
            return;
        }
        lastSuccessStartNanos = started;
        fenced = false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
