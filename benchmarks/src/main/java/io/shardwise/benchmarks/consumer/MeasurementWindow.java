package io.shardwise.benchmarks.consumer;

/**
 * The measured part of a run, the same for both consumers: let the start settle, clear the write
 * count, record latencies for a fixed time.
 */
final class MeasurementWindow {
    private static final long SETTLE_MILLIS = 5_000;

    private MeasurementWindow() {}

    /** Runs the window and returns its length in minutes, the unit of the writes-per-minute figure. */
    static double run(WriteCounter writes, Latencies latencies, int seconds) throws InterruptedException {
        Thread.sleep(SETTLE_MILLIS);
        writes.reset();
        latencies.recording(true);
        long windowStart = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        latencies.recording(false);
        return (System.nanoTime() - windowStart) / 60e9;
    }
}
