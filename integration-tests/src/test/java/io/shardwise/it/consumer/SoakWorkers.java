package io.shardwise.it.consumer;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak's worker JVMs, one per slot. A restart starts a new incarnation with a new worker id
 * ({@code w<slot>-<incarnation>}); each JVM's event lines go to the recorder.
 */
final class SoakWorkers implements AutoCloseable {
    private final List<String> args;
    private final SoakRecorder recorder;
    private final WorkerProcess[] slots;
    private final int[] incarnations;
    private final List<WorkerProcess> all = new ArrayList<>();

    /** {@code args}: kinesisEndpoint dynamoDbEndpoint stream table checkpointIntervalMillis. */
    SoakWorkers(int count, URI kinesis, URI dynamoDb, String stream, String table, long checkpointMillis,
                SoakRecorder recorder) {
        this.args = List.of(kinesis.toString(), dynamoDb.toString(), stream, table, Long.toString(checkpointMillis));
        this.recorder = recorder;
        this.slots = new WorkerProcess[count];
        this.incarnations = new int[count];
    }

    synchronized void start(int slot) throws IOException {
        if (slots[slot] != null) {
            return;
        }
        String id = "w" + (slot + 1) + "-" + (++incarnations[slot]);
        List<String> workerArgs = new ArrayList<>(args.subList(0, 4));
        workerArgs.add(id);
        workerArgs.add(args.get(4));
        WorkerProcess worker = new WorkerProcess(SoakWorkerMain.class, workerArgs, id, line -> {
            SoakEvent event = SoakLog.parse(line);
            if (event != null) {
                recorder.add(event);
            }
        });
        slots[slot] = worker;
        all.add(worker);
    }

    void startAll() throws IOException {
        for (int slot = 0; slot < slots.length; slot++) {
            start(slot);
        }
    }

    void awaitAllStarted() throws InterruptedException {
        for (WorkerProcess w : running()) {
            if (!w.awaitStarted()) {
                throw new IllegalStateException(w.workerId() + " did not start within 60 s");
            }
        }
    }

    /** SIGKILL of the worker in the slot, or of the next running one; returns its id, or null when none runs. */
    String kill(int slot) throws InterruptedException {
        return disrupt(slot, true);
    }

    /** Graceful stop (SIGTERM) of the worker in the slot, or of the next running one. */
    String stop(int slot) throws InterruptedException {
        return disrupt(slot, false);
    }

    private String disrupt(int slot, boolean kill) throws InterruptedException {
        WorkerProcess worker = take(slot);
        if (worker == null) {
            return null;
        }
        long now = SoakWorkerMain.nowMicros();
        recorder.add(kill ? new SoakEvent.Crashed(worker.workerId(), now) : new SoakEvent.Stopped(worker.workerId(), now));
        recorder.fault((kill ? "SIGKILL " : "graceful stop of ") + worker.workerId());
        if (kill) {
            worker.kill();
        } else {
            worker.close();
        }
        return worker.workerId();
    }

    /** Restarts every empty slot. */
    synchronized void restartStopped() throws IOException {
        for (int slot = 0; slot < slots.length; slot++) {
            if (slots[slot] == null) {
                start(slot);
                recorder.note("restart of slot " + slot + " as " + slots[slot].workerId());
            }
        }
    }

    /** Takes the worker of the slot (or of the next running slot) out, keeping at least one running. */
    private synchronized WorkerProcess take(int slot) {
        if (running().size() <= 1) {
            return null;
        }
        for (int i = 0; i < slots.length; i++) {
            int s = (slot + i) % slots.length;
            if (slots[s] != null) {
                WorkerProcess taken = slots[s];
                slots[s] = null;
                return taken;
            }
        }
        return null;
    }

    private synchronized List<WorkerProcess> running() {
        List<WorkerProcess> running = new ArrayList<>();
        for (WorkerProcess w : slots) {
            if (w != null) {
                running.add(w);
            }
        }
        return running;
    }

    /** Stops every running worker gracefully and waits until all their output was read. */
    @Override
    public void close() throws InterruptedException {
        List<WorkerProcess> running = running();
        for (WorkerProcess w : running) {
            recorder.add(new SoakEvent.Stopped(w.workerId(), SoakWorkerMain.nowMicros()));
        }
        for (WorkerProcess w : running) {
            w.close();
        }
        for (WorkerProcess w : all) {
            w.close();
            w.awaitOutputRead();
        }
    }
}
