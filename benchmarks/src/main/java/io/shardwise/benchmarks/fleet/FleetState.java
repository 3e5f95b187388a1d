package io.shardwise.benchmarks.fleet;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which worker last delivered each shard, and when (to the 250 ms of the workers' reports): a shard
 * is processing when it was delivered within the recent window, and it counts for the worker that
 * delivered it last.
 */
final class FleetState {
    /** Records arrive every 500 ms and the KCL polls every 1.5 s: 4 s of silence means not processing. */
    static final long RECENT_MILLIS = 4_000;

    private final Map<Integer, Delivery> last = new ConcurrentHashMap<>();

    record Delivery(String worker, long millis) {
    }

    void delivered(String worker, long millis, List<Integer> shards) {
        for (int shard : shards) {
            last.merge(shard, new Delivery(worker, millis), (a, b) -> b.millis >= a.millis ? b : a);
        }
    }

    Delivery last(int shard) {
        return last.get(shard);
    }

    /** Open shards not delivered within the recent window. */
    int silentShards(Collection<Integer> openShards, long now) {
        int silent = 0;
        for (int shard : openShards) {
            Delivery d = last.get(shard);
            if (d == null || d.millis < now - RECENT_MILLIS) {
                silent++;
            }
        }
        return silent;
    }

    /** Open shards per worker (by last delivery, recent only), every given worker listed. */
    Map<String, Integer> counts(Collection<Integer> openShards, Collection<String> workers, long now) {
        Map<String, Integer> counts = new HashMap<>();
        workers.forEach(w -> counts.put(w, 0));
        for (int shard : openShards) {
            Delivery d = last.get(shard);
            if (d != null && d.millis >= now - RECENT_MILLIS && counts.containsKey(d.worker)) {
                counts.merge(d.worker, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Every open shard processing, and the workers' counts within one of each other. */
    boolean balanced(Collection<Integer> openShards, Collection<String> workers, long now) {
        if (silentShards(openShards, now) > 0) {
            return false;
        }
        Map<String, Integer> counts = counts(openShards, workers, now);
        int max = counts.values().stream().mapToInt(i -> i).max().orElse(0);
        int min = counts.values().stream().mapToInt(i -> i).min().orElse(0);
        return max - min <= 1 && counts.values().stream().mapToInt(i -> i).sum() == openShards.size();
    }

    /** The shards whose last recent delivery was by {@code worker}. */
    Set<Integer> shardsOf(String worker, long now) {
        return last.entrySet().stream()
                .filter(e -> e.getValue().worker.equals(worker) && e.getValue().millis >= now - RECENT_MILLIS)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Of {@code shards}, those delivered by a worker other than {@code gone} after {@code sinceMillis}. */
    int resumed(Set<Integer> shards, String gone, long sinceMillis) {
        int resumed = 0;
        for (int shard : shards) {
            Delivery d = last.get(shard);
            if (d != null && d.millis > sinceMillis && !d.worker.equals(gone)) {
                resumed++;
            }
        }
        return resumed;
    }
}
