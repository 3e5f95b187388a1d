package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SpaceSavingTest {
    /** The Space-Saving guarantees: every key heavier than n/k holds a counter, and counts never under-estimate. */
    @Property(tries = 200)
    void heavyKeysAreKeptAndNeverUnderCounted(@ForAll @Size(min = 1, max = 2_000) List<@IntRange(min = 0, max = 60) Integer> stream,
                                              @ForAll @IntRange(min = 1, max = 20) int capacity) {
        SpaceSaving sketch = new SpaceSaving(capacity);
        Map<String, Long> truth = new HashMap<>();
        for (int value : stream) {
            // Skew: small values are much more frequent.
            String key = "k" + (value * value / 60);
            sketch.add(key);
            truth.merge(key, 1L, Long::sum);
        }
        List<HotKey> top = sketch.top(capacity);
        Map<String, Long> estimated = new HashMap<>();
        top.forEach(h -> estimated.put(h.partitionKey(), h.estimatedRecords()));
        truth.forEach((key, count) -> {
            if (count > stream.size() / capacity) {
                assertThat(estimated).containsKey(key);
            }
            if (estimated.containsKey(key)) {
                assertThat(estimated.get(key)).isGreaterThanOrEqualTo(count);
            }
        });
        assertThat(top).isSortedAccordingTo((a, b) -> Long.compare(b.estimatedRecords(), a.estimatedRecords()));
    }

    @Property(tries = 50)
    void decayHalvesCounts(@ForAll @IntRange(min = 2, max = 1_000) int n) {
        SpaceSaving sketch = new SpaceSaving(4);
        for (int i = 0; i < n; i++) {
            sketch.add("hot");
        }
        sketch.decay();
        assertThat(sketch.top(1).get(0).estimatedRecords()).isEqualTo(n / 2);
        assertThat(sketch.total()).isEqualTo(n / 2);
    }
}
