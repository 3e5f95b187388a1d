package io.shardwise.benchmarks.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Send-to-process latencies and per-shard delivery times, recorded from processor threads. */
final class Latencies {
    private final List<Long> millis = new ArrayList<>();
    private volatile boolean recording;

    void recording(boolean on) {
        recording = on;
    }

    void record(long sentAtMillis) {
        if (recording) {
            long latency = System.currentTimeMillis() - sentAtMillis;
            synchronized (millis) {
                millis.add(latency);
            }
        }
    }

    String summary() {
        List<Long> sorted;
        synchronized (millis) {
            sorted = new ArrayList<>(millis);
        }
        if (sorted.isEmpty()) {
            return "no records";
        }
        Collections.sort(sorted);
        return String.format("p50 %d ms, p99 %d ms, max %d ms over %d records", percentile(sorted, 50),
                percentile(sorted, 99), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
