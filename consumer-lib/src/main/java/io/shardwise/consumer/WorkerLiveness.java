package io.shardwise.consumer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's heartbeat: one conditional write of its liveness item per interval, whatever the
 * number of leases it holds. It also fences the worker itself: when no heartbeat started less than
 * {@code failoverTime - margin} ago succeeded, the worker must assume others will soon see it dead,
 * and {@code onFenced} stops every shard before any other worker may take them.
 *
 * <p>Why the self-stop deadline is safe whatever the heartbeat interval: an observer can only see
 * the counter written by a heartbeat after that write, so after the write started (time S on this
 * worker's clock); it treats this worker as dead only when the counter has then not moved for the
 * failover time F on its own clock, so never before S + F (clock rates, not clock values, must
 * agree: drift is parts per million). This worker stops its shards at S + F - margin, where S is
 * the start of its last heartbeat that succeeded; the margin covers the fence check's period and
 * clock rate drift. A heartbeat that lands late does not help: the fence already fired at its
 * deadline, and the shards are adopted again only through conditional writes. Checkpoints never
 * depend on this: each is conditional on the lease counter, which any take bumps.
 *
 * <p>The interval only trades lease-table writes for tolerance: the defaults (F = 3.5 s, interval
 * 2/3 F, margin F/8) leave about 0.8 s for one heartbeat to complete before the worker stops its
 * own shards, and about 0.6 s (F - interval - take interval) before observers may see it dead: a
 * single failed or very slow heartbeat moves the worker's leases (a processing pause, never a
 * double owner). A shorter interval gives more tolerance and costs one write per worker per beat.
 */
final class WorkerLiveness implements Liveness, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerLiveness.class);

    private final WorkerStore table;
    private final LeaseTiming settings;
    private final Runnable onFenced;
    private final Supplier<Map<String, Long>> throughput;
    private final ScheduledExecutorService timer;
    private volatile long lastSuccessStartNanos;
    private volatile boolean fenced;
    private long counter;

    WorkerLiveness(WorkerStore table, LeaseTiming settings, Runnable onFenced) {
        this(table, settings, onFenced, Map::of);
    }

    /** @param throughput recent bytes per second of each held lease, published with every heartbeat */
    WorkerLiveness(WorkerStore table, LeaseTiming settings, Runnable onFenced,
                   Supplier<Map<String, Long>> throughput) {
        this.throughput = throughput;
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
        // The first heartbeat may meet a cold connection: retry it with a generous timeout.
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
        for (int attempt = 1; ; attempt++) {
            try {
                counter = table.counter(settings.workerId());
                beat(Duration.ofSeconds(10));
                break;
            } catch (RuntimeException e) {
                if (attempt >= 5) {
                    throw e;
                }
                log.warn("First heartbeat of {} failed ({}); retrying", settings.workerId(), e.toString());
                sleep(backoff.nextDelayMillis());
            }
        }
        long period = settings.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beatSafely, period, period, TimeUnit.MILLISECONDS);
        // The check runs apart from the heartbeat: a heartbeat stuck in a slow call must not delay the fence.
        long checkPeriod = Math.max(10, Math.min(period / 10, settings.selfFenceMargin().toMillis() / 5));
        timer.scheduleWithFixedDelay(this::checkFence, checkPeriod, checkPeriod, TimeUnit.MILLISECONDS);
    }

    /** True while this worker may hold leases: its last heartbeat is recent enough. */
    @Override
    public boolean isAlive() {
        return !fenced && System.nanoTime() - lastSuccessStartNanos < settings.selfFenceNanos();
    }

    private void beatSafely() {
        try {
            // A heartbeat slower than the self-fence time is useless: the fence fires first.
            beat(Duration.ofNanos(settings.selfFenceNanos()));
        } catch (RuntimeException e) {
            log.warn("Heartbeat of {} failed: {}", settings.workerId(), e.toString());
        }
    }

    /**
     * Fires at every check while the heartbeat is late, not once: a lease round that began before
     * the fence may start a shard after it, and that shard must stop too.
     */
    private void checkFence() {
        boolean late = System.nanoTime() - lastSuccessStartNanos >= settings.selfFenceNanos();
        if (!late) {
            return;
        }
        if (!fenced) {
            fenced = true;
            log.warn("Worker {} could not heartbeat for {} ms: stopping its shards before others take them",
                    settings.workerId(), settings.selfFenceNanos() / 1_000_000);
        }
        onFenced.run();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void beat(Duration timeout) {
        long started = System.nanoTime();
        var written = table.heartbeat(settings.workerId(), counter, throughput.get(), timeout);
        if (written.isEmpty()) {
            // Our item moved without us: a timed-out heartbeat that landed late, or a second process
            // with this worker id. Re-read and count the next beat only.
            log.warn("Liveness item of worker {} changed unexpectedly (late write, or a duplicate worker id?)",
                    settings.workerId());
            counter = table.counter(settings.workerId());
            return;
        }
        counter = written.get();
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
