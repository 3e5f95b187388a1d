package io.shardwise.it.consumer;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a soak history: events, faults the soak injected, records acknowledged and
 * delivered, duplicates by cause (see {@link SoakHistoryChecker.DuplicateCause}).
 */
record SoakFigures(long events, long faultsInjected, long acknowledged, long deliveries, long distinctDelivered,
                   Map<SoakHistoryChecker.DuplicateCause, Long> duplicatesByCause) {

    SoakFigures {
        duplicatesByCause = Map.copyOf(duplicatesByCause);
    }

    long duplicates() {
        return duplicatesByCause.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        return "events " + events + ", faults injected " + faultsInjected + ", acknowledged " + acknowledged
                + ", deliveries " + deliveries + " (" + distinctDelivered + " distinct records), duplicates "
                + duplicates() + " by cause " + new TreeMap<>(duplicatesByCause);
    }
}
