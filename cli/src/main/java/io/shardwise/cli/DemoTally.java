package io.shardwise.cli;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every send acknowledgement and every delivery of the demo, judged as they arrive.
 *
 * <p>Definitions (the README repeats them):
 * <ul>
 * <li><b>sent</b>: records the producer acknowledged (their future completed with a sequence number).</li>
 * <li><b>received</b>: distinct records delivered at least once; <b>duplicates</b>: deliveries beyond the
 * first of a record (at-least-once allows them: a new lease owner resumes from the last checkpoint and
 * delivers again what the old owner had processed after it).</li>
 * <li><b>lost</b>: acknowledged records never delivered.</li>
 * <li><b>order violation</b>: judged per key on the FIRST delivery of each sequence number only. A first
 * delivery of sequence {@code s} is a violation when a higher sequence of the same key was already
 * delivered for the first time (it overtook {@code s}). Replays after a failover re-deliver earlier
 * records: those are duplicates, never order violations.</li>
 * <li><b>latency</b>: first delivery time minus send time, both wall clocks of this machine.</li>
 * <li><b>failover</b>: from the kill of a worker until every shard it held (not yet at its end)
 * delivered a record through another worker, or reached its end under another owner.</li>
 * </ul>
 */
final class DemoTally {

    /** What the demo shows while it runs: sent (acknowledged), received, failed sends, and the lag by shard. */
    record Progress(long sent, long received, long sendFailures, Map<String, Long> lagByShard) {
    }

    private final Map<String, Set<Long>> deliveredByKey = new HashMap<>();
    private final Map<String, Set<Long>> acknowledgedByKey = new HashMap<>();
    private final Map<String, Long> highestByKey = new HashMap<>();
    /** Acknowledged, not yet delivered records, by the shard the producer stored them in. */
    private final Map<String, Long> waitingByShard = new TreeMap<>();
    private final Map<DemoPayload, String> waitingShard = new HashMap<>();
    private long[] latencies = new long[4096];
    private long sent;
    private long sendFailures;
    private long received;
    private long duplicates;
    private long orderViolations;
    private long firstSendMillis = Long.MAX_VALUE;
    private long lastFirstDeliveryMillis;

    private String failoverWorker;
    private Set<String> failoverShards;
    private long killMillis;
    private long failoverMillis = -1;

    synchronized void sendStarted(long millis) {
        firstSendMillis = Math.min(firstSendMillis, millis);
    }

    synchronized void acknowledged(String shardId, DemoPayload payload) {
        acknowledgedByKey.computeIfAbsent(payload.key(), k -> new HashSet<>()).add(payload.sequence());
        sent++;
        waitingByShard.merge(shardId, 0L, Long::sum);
        if (!deliveredByKey.getOrDefault(payload.key(), Set.of()).contains(payload.sequence())) {
            waitingByShard.merge(shardId, 1L, Long::sum);
            waitingShard.put(payload, shardId);
        }
    }

    synchronized void sendFailed() {
        sendFailures++;
    }

    /** One delivery of a record to a processor of {@code workerId}. */
    synchronized void delivered(String workerId, String shardId, long receivedMillis, DemoPayload payload) {
        if (payload == null) {
            return;
        }
        resumed(workerId, shardId, receivedMillis);
        if (!deliveredByKey.computeIfAbsent(payload.key(), k -> new HashSet<>()).add(payload.sequence())) {
            duplicates++;
            return;
        }
        received++;
        String waitingIn = waitingShard.remove(payload);
        if (waitingIn != null) {
            waitingByShard.merge(waitingIn, -1L, Long::sum);
        }
        long highest = highestByKey.getOrDefault(payload.key(), -1L);
        if (payload.sequence() < highest) {
            orderViolations++;
        } else {
            highestByKey.put(payload.key(), payload.sequence());
        }
        if (received > latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[(int) received - 1] = Math.max(0, receivedMillis - payload.sentMillis());
        lastFirstDeliveryMillis = Math.max(lastFirstDeliveryMillis, receivedMillis);
    }

    /** Starts the failover clock: {@code shards} were held by {@code workerId}, killed at {@code millis}. */
    synchronized void killed(String workerId, Set<String> shards, long millis) {
        failoverWorker = workerId;
        failoverShards = new HashSet<>(shards);
        killMillis = millis;
        if (failoverShards.isEmpty()) {
            failoverMillis = 0;
        }
    }

    /** A shard the dead worker held reached its end under another owner: it needs no more records. */
    synchronized void shardEndedElsewhere(String shardId, long millis) {
        resumed(null, shardId, millis);
    }

    private void resumed(String workerId, String shardId, long millis) {
        if (failoverShards == null || failoverMillis >= 0 || millis < killMillis
                || failoverWorker.equals(workerId) || !failoverShards.remove(shardId)) {
            return;
        }
        if (failoverShards.isEmpty()) {
            failoverMillis = millis - killMillis;
        }
    }

    synchronized boolean failoverPending() {
        return failoverShards != null && failoverMillis < 0;
    }

    synchronized Set<String> failoverShardsLeft() {
        return failoverShards == null ? Set.of() : Set.copyOf(failoverShards);
    }

    /** The running counts, read at one moment. */
    synchronized Progress progress() {
        return new Progress(sent, received, sendFailures, lagByShard());
    }

    /** Acknowledged but not yet delivered, per shard the producer stored them in. */
    synchronized Map<String, Long> lagByShard() {
        return new TreeMap<>(waitingByShard);
    }

    synchronized DemoVerdict verdict() {
        long[] sorted = Arrays.copyOf(latencies, (int) received);
        Arrays.sort(sorted);
        long from = firstSendMillis == Long.MAX_VALUE ? lastFirstDeliveryMillis : firstSendMillis;
        double seconds = received == 0 ? 0 : Math.max(1, lastFirstDeliveryMillis - from) / 1000.0;
        // Lost counts acknowledged records only: a record whose send failed may still have been stored
        // (a timeout after Kinesis took it); if it arrives it is received, if not nobody promised it.
        long lost = 0;
        for (Map.Entry<String, Set<Long>> key : acknowledgedByKey.entrySet()) {
            Set<Long> delivered = deliveredByKey.getOrDefault(key.getKey(), Set.of());
            for (Long sequence : key.getValue()) {
                if (!delivered.contains(sequence)) {
                    lost++;
                }
            }
        }
        return new DemoVerdict(sent, received, lost, duplicates, orderViolations,
                seconds == 0 ? 0 : received / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                failoverMillis < 0 ? null : failoverMillis / 1000.0, sendFailures);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
