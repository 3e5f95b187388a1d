package io.shardwise.cli;

import io.shardwise.consumer.ShardwiseConsumer;
import io.shardwise.producer.KinesisProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * One run of the demo's scenario on an existing stream (the lease table is named after the stream):
 * workers started, a steady producer, and on the timeline of {@link DemoCommand} a split, a merge,
 * a SIGKILL and a graceful stop; then the wait until every acknowledged record was delivered.
 */
final class DemoScenario {

    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final int KEYS = 100;
    private static final Duration LEASES_TIMEOUT = Duration.ofSeconds(60);

    private final DemoPlan plan;
    private final DemoView view;
    private final Target target;
    private final StreamAdmin admin;
    private final DemoLeases leases;
    private final KinesisAsyncClient kinesisAsync;
    private final String stream;
    private final DemoTally tally;
    private final List<ShardwiseConsumer> inProcess = new ArrayList<>();
    private ChildWorker child;
    private volatile boolean failoverReported;

    DemoScenario(DemoPlan plan, DemoView view, Target target, StreamAdmin admin, DynamoDbClient dynamo,
                 KinesisAsyncClient kinesisAsync, String stream, DemoTally tally) {
        this.plan = plan;
        this.view = view;
        this.target = target;
        this.admin = admin;
        this.leases = new DemoLeases(dynamo, stream);
        this.kinesisAsync = kinesisAsync;
        this.stream = stream;
        this.tally = tally;
    }

    void execute() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "demo-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            startWorkers();
            awaitLeases();
            scheduler.scheduleWithFixedDelay(this::showStatus, 0, 1, TimeUnit.SECONDS);
            produce(scheduler);
            drain();
        } finally {
            scheduler.shutdownNow();
            showStatus();
            stopWorkers();
        }
    }

    private void startWorkers() throws Exception {
        for (int i = 1; i < plan.workers(); i++) {
            String workerId = "worker-" + i;
            ShardwiseConsumer consumer = DemoWorkers.consumer(target, stream, stream, workerId,
                    (shardId, millis, data) -> tally.delivered(workerId, shardId, millis, DemoPayload.decode(data)));
            consumer.start();
            inProcess.add(consumer);
        }
        child = new ChildWorker(target, stream, stream, "worker-" + plan.workers(), tally);
        child.awaitStarted();
        view.event("started " + (plan.workers() - 1) + " workers in this JVM and " + child.workerId()
                + " in a child JVM (pid " + child.pid() + ")");
    }

    /** Waits until every open shard has an owner, so latency measures the steady state. */
    private void awaitLeases() throws InterruptedException {
        long deadline = System.nanoTime() + LEASES_TIMEOUT.toNanos();
        int open = admin.openShards(stream).size();
        while (System.nanoTime() < deadline) {
            long owned = leases.read().stream().filter(l -> l.owner() != null && !l.ended()).count();
            if (owned >= open) {
                view.event("every shard has a worker");
                return;
            }
            Thread.sleep(250);
        }
        view.event("not every shard has a worker after " + LEASES_TIMEOUT.toSeconds() + " s; producing anyway");
    }

    private void produce(ScheduledExecutorService scheduler) throws Exception {
        long durationMillis = plan.durationSeconds() * 1000L;
        try (KinesisProducer producer = KinesisProducer.builder().stream(stream).client(kinesisAsync)
                .recordTtl(Duration.ofMinutes(2)).build()) {
            producer.ready().get(30, TimeUnit.SECONDS);
            schedule(scheduler, durationMillis * 20 / 100, this::split);
            schedule(scheduler, durationMillis * 35 / 100, this::merge);
            schedule(scheduler, durationMillis * 50 / 100, this::crash);
            schedule(scheduler, durationMillis * 70 / 100, this::stopGracefully);
            view.event(String.format(Locale.ROOT, "producing %d records over %d keys at %.0f records/s",
                    plan.records(), KEYS, plan.records() * 1000.0 / durationMillis));
            Map<String, Long> nextSequence = new HashMap<>();
            long start = System.nanoTime();
            double intervalNanos = durationMillis * 1e6 / plan.records();
            for (int i = 0; i < plan.records(); i++) {
                long due = start + (long) (i * intervalNanos);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                String key = String.format(Locale.ROOT, "key-%03d", i % KEYS);
                long sequence = nextSequence.merge(key, 1L, Long::sum) - 1;
                long now = System.currentTimeMillis();
                DemoPayload payload = new DemoPayload(key, sequence, now);
                tally.sendStarted(now);
                producer.send(key, payload.encode()).whenComplete((result, failure) -> {
                    if (failure == null) {
                        tally.acknowledged(result.shardId(), payload);
                    } else {
                        tally.sendFailed();
                    }
                });
            }
            producer.flush().get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        view.event("producer done: " + tally.progress().sent() + " records acknowledged");
    }

    private void schedule(ScheduledExecutorService scheduler, long delayMillis, Step step) {
        scheduler.schedule(() -> {
            try {
                step.run();
            } catch (Exception e) {
                view.event("FAILED: " + e);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void split() {
        view.event(admin.splitFirst(stream));
    }

    private void merge() {
        view.event(admin.mergeLastAdjacent(stream));
    }

    private void crash() throws InterruptedException {
        Set<String> held = DemoLeases.activeByOwner(leases.read()).getOrDefault(child.workerId(), Set.of());
        long killMillis = System.currentTimeMillis();
        child.kill();
        tally.killed(child.workerId(), held, killMillis);
        view.event("killed " + child.workerId() + " (child JVM, pid " + child.pid() + ") with SIGKILL; it held "
                + (held.isEmpty() ? "no shard" : String.join(", ", held)));
    }

    private void stopGracefully() {
        ShardwiseConsumer worker = inProcess.get(inProcess.size() - 1);
        long start = System.nanoTime();
        worker.close();
        view.event(String.format(Locale.ROOT, "stopped %s gracefully in %.1f s (its leases released)",
                worker.workerId(), (System.nanoTime() - start) / 1e9));
    }

    /** Waits until every acknowledged record was delivered and the failover was measured. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (tally.verdict().lost() == 0 && !tally.failoverPending()) {
                view.event("every acknowledged record was processed");
                return;
            }
            Thread.sleep(250);
        }
        view.event("gave up waiting after " + DRAIN_TIMEOUT.toSeconds() + " s: " + tally.verdict().lost()
                + " records not processed");
    }

    private void showStatus() {
        try {
            List<DemoLeases.Lease> table = leases.read();
            if (tally.failoverPending()) {
                long now = System.currentTimeMillis();
                for (DemoLeases.Lease lease : table) {
                    if (lease.ended() && lease.owner() != null && !lease.owner().equals(child.workerId())) {
                        tally.shardEndedElsewhere(lease.shardId(), now);
                    }
                }
            }
            DemoVerdict sofar = tally.verdict();
            if (!failoverReported && sofar.failoverSeconds() != null) {
                failoverReported = true;
                view.event(String.format(Locale.ROOT, "failover: every shard of %s processing again %.2f s after"
                        + " the kill", child.workerId(), sofar.failoverSeconds()));
            }
            view.status(tally.progress(), DemoLeases.activeByOwner(table));
        } catch (RuntimeException e) {
            view.event("could not read the lease table: " + e.getMessage());
        }
    }

    private void stopWorkers() throws InterruptedException {
        for (ShardwiseConsumer worker : inProcess) {
            worker.close();
        }
        if (child != null) {
            child.close();
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
