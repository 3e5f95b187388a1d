package io.shardwise.producer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The heaviest keys of a stream in fixed memory: the Space-Saving algorithm (Metwally, Agrawal and
 * El Abbadi, "Efficient Computation of Frequent and Top-k Elements in Data Streams", ICDT 2005). It keeps
 * k counters; a key without a counter takes over the smallest one and inherits its count plus one, so
 * counts are over-estimates by at most the inherited error, and every key more frequent than n/k is
 * guaranteed to hold a counter. Not thread-safe; the accumulator's lock guards it.
 */
final class SpaceSaving {
    private static final class Counter {
        final String key;
        long count;

        Counter(String key, long count) {
            this.key = key;
            this.count = count;
        }
    }

    private final int capacity;
    private final Map<String, Counter> counters;
    private long total;

    SpaceSaving(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("sketch capacity " + capacity + " must be >= 1");
        }
        this.capacity = capacity;
        this.counters = new HashMap<>(capacity * 2);
    }

    void add(String key) {
        total++;
        Counter counter = counters.get(key);
        if (counter != null) {
            counter.count++;
            return;
        }
        if (counters.size() < capacity) {
            counters.put(key, new Counter(key, 1));
            return;
        }
        // Replace the minimum. k is small (tens), so a scan is cheaper than keeping a heap in sync.
        Counter minimum = null;
        for (Counter c : counters.values()) {
            if (minimum == null || c.count < minimum.count) {
                minimum = c;
            }
        }
        counters.remove(minimum.key);
        counters.put(key, new Counter(key, minimum.count + 1));
    }

    long total() {
        return total;
    }

    /** The {@code limit} heaviest keys, heaviest first, with estimated counts and shares of the total. */
    List<HotKey> top(int limit) {
        return top(limit, 1);
    }

    /** As {@link #top(int)} for a sketch fed one record in {@code sampling}: counts scaled back up. */
    List<HotKey> top(int limit, int sampling) {
        List<Counter> sorted = new ArrayList<>(counters.values());
        sorted.sort(Comparator.comparingLong((Counter c) -> c.count).reversed().thenComparing(c -> c.key));
        List<HotKey> top = new ArrayList<>(Math.min(limit, sorted.size()));
        for (Counter c : sorted.subList(0, Math.min(limit, sorted.size()))) {
            top.add(new HotKey(c.key, c.count * sampling, total == 0 ? 0 : Math.min(1.0, (double) c.count / total)));
        }
        return top;
    }

    /** Starts a new window: counts of the last window are halved so the sketch follows shifts in load. */
    void decay() {
        total /= 2;
        counters.values().removeIf(c -> (c.count /= 2) == 0);
    }
}
