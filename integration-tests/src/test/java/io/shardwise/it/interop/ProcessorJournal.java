package io.shardwise.it.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a processor saw and did, per shard, in order: the application's own sink in
 * {@link KclUserProcessor}. Plain Java: it knows neither the KCL's nor Shardwise's types.
 */
final class ProcessorJournal {
    private final Map<String, List<String>> records = new TreeMap<>();
    private final Map<String, List<String>> checkpoints = new TreeMap<>();
    private final Map<String, String> startedAt = new TreeMap<>();
    private final List<String> errors = new ArrayList<>();
    private int nullLagBatches;
    private int batchesInFlight;

    synchronized void started(String shardId, String position) {
        startedAt.put(shardId, position);
    }

    synchronized void record(String shardId, String description) {
        records.computeIfAbsent(shardId, s -> new ArrayList<>()).add(description);
    }

    synchronized void checkpointed(String shardId, String description) {
        checkpoints.computeIfAbsent(shardId, s -> new ArrayList<>()).add(description);
    }

    synchronized void batchStarted() {
        batchesInFlight++;
    }

    synchronized void batchFinished() {
        batchesInFlight--;
    }

    /** True once every record was seen and no batch is being processed (its checkpoints are done). */
    synchronized boolean sawAndFinished(int records) {
        return recordCount() >= records && batchesInFlight == 0;
    }

    synchronized void batchWithoutLag() {
        nullLagBatches++;
    }

    synchronized void error(String description) {
        errors.add(description);
    }

    synchronized int recordCount() {
        return records.values().stream().mapToInt(List::size).sum();
    }

    synchronized Map<String, List<String>> records() {
        return copy(records);
    }

    synchronized Map<String, List<String>> checkpoints() {
        return copy(checkpoints);
    }

    synchronized Map<String, String> startedAt() {
        return new TreeMap<>(startedAt);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized int nullLagBatches() {
        return nullLagBatches;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
