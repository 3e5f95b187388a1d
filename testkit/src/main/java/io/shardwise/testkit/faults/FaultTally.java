package io.shardwise.testkit.faults;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Live, thread-safe counters behind {@link FaultCounts}. */
final class FaultTally {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> contentTypes = new ConcurrentHashMap<>();
    private final Map<FaultKind, Map<String, LongAdder>> injected = new EnumMap<>(FaultKind.class);
    private final LongAdder http2Connections = new LongAdder();

    FaultTally() {
        for (FaultKind kind : FaultKind.values()) {
            injected.put(kind, new ConcurrentHashMap<>());
        }
    }

    void request(String operation, String contentType) {
        requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
        contentTypes.computeIfAbsent(contentType == null ? "" : contentType, k -> new LongAdder()).increment();
    }

    void injected(FaultKind kind, String operation, int times) {
        if (times > 0) {
            injected.get(kind).computeIfAbsent(operation, k -> new LongAdder()).add(times);
        }
    }

    void http2Connection() {
        http2Connections.increment();
    }

    FaultCounts snapshot() {
        Map<FaultKind, Map<String, Long>> faults = new EnumMap<>(FaultKind.class);
        injected.forEach((kind, perOperation) -> {
            if (!perOperation.isEmpty()) {
                faults.put(kind, sums(perOperation));
            }
        });
        return new FaultCounts(sums(requests), faults, sums(contentTypes), http2Connections.sum());
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> sums = new java.util.HashMap<>();
        adders.forEach((key, adder) -> sums.put(key, adder.sum()));
        return sums;
    }
}
