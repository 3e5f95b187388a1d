package io.shardwise.it.consumer;

import io.shardwise.it.consumer.SoakEvent.Acked;
import io.shardwise.it.consumer.SoakEvent.CheckpointFailed;
import io.shardwise.it.consumer.SoakEvent.Checkpointed;
import io.shardwise.it.consumer.SoakEvent.Crashed;
import io.shardwise.it.consumer.SoakEvent.Delivery;
import io.shardwise.it.consumer.SoakEvent.FaultInjected;
import io.shardwise.it.consumer.SoakEvent.FaultsEnded;
import io.shardwise.it.consumer.SoakEvent.LeaseLost;
import io.shardwise.it.consumer.SoakEvent.Position;
import io.shardwise.it.consumer.SoakViolation.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges a chaos soak's history (a pure function of its events, no I/O) against the rules of
 * {@link Rule}:
 *
 * <ul>
 *   <li>NO_LOSS: every acknowledged record ({@code key:n}) is delivered at least once.</li>
 *   <li>KEY_ORDER: per key, the first delivery of {@code n} never comes after the first delivery of
 *       a higher {@code n} of the same key (the writer writes each key in order).</li>
 *   <li>EXCLUSIVE_OWNERSHIP: per shard, processors are ordered by their first delivery; from the
 *       moment a later processor receives its first record of the shard, no earlier processor
 *       receives any record of it.</li>
 *   <li>DUPLICATES: a record delivered again (same shard, sequence and sub-sequence) must have been
 *       delivered last by another processor whose worker crashed (SIGKILL), or which was told its
 *       lease was lost, or whose last checkpoint (at shutdown or shard end) failed, before the new
 *       processor started; and it must lie after the last checkpoint of the shard logged before the
 *       new processor started. A duplicate after a graceful stop or handoff whose checkpoint
 *       succeeded, or to the same processor, is a violation.</li>
 *   <li>PROGRESS: after the faults end at T, every shard with work (an acknowledged record acked
 *       by T + window/2 and not delivered before T) delivers a record by T + window.</li>
 * </ul>
 *
 * Events are judged in time order; events with the same time keep their order in the input (a
 * worker's events arrive in the order it logged them).
 */
final class SoakHistoryChecker {

    /** Why a record was delivered again. */
    enum DuplicateCause {
        /** The previous owner's JVM was killed. */
        CRASH,
        /** The previous owner was alive but told its lease was lost (it could not renew in time). */
        LEASE_LOST,
        /**
         * The previous processor's last checkpoint (asked to shut down, e.g. when its worker could not
         * renew its liveness, or at a shard's end) failed: the table was unreachable.
         */
        LAST_CHECKPOINT_FAILED,
        /** No crash explains it: a violation. */
        UNEXPLAINED
    }

    private final Duration progressWindow;

    SoakHistoryChecker(Duration progressWindow) {
        this.progressWindow = progressWindow;
    }

    /** Every violation found, and the figures. */
    SoakVerdict check(List<SoakEvent> history) {
        List<SoakEvent> events = new ArrayList<>(history);
        events.sort(Comparator.comparingLong(SoakEvent::micros)); // stable: ties keep input order
        List<SoakViolation> violations = new ArrayList<>();
        List<Delivery> deliveries = events.stream().filter(Delivery.class::isInstance).map(Delivery.class::cast)
                .toList();
        List<Acked> acked = events.stream().filter(Acked.class::isInstance).map(Acked.class::cast).toList();

        checkNoLoss(acked, deliveries, violations);
        checkKeyOrder(deliveries, violations);
        Map<String, Long> processorStart = processorStarts(deliveries);
        checkExclusiveOwnership(deliveries, processorStart, violations);
        Map<DuplicateCause, Long> duplicates = checkDuplicates(events, processorStart, violations);
        checkProgress(events, acked, deliveries, violations);

        long faults = events.stream().filter(FaultInjected.class::isInstance).count();
        long distinct = deliveries.stream().map(Delivery::recordId).distinct().count();
        SoakFigures figures = new SoakFigures(events.size(), faults, acked.size(), deliveries.size(), distinct,
                duplicates);
        return new SoakVerdict(violations, figures);
    }

    private static void checkNoLoss(List<Acked> acked, List<Delivery> deliveries, List<SoakViolation> violations) {
        Set<String> delivered = new HashSet<>();
        deliveries.forEach(d -> delivered.add(d.payload()));
        for (Acked a : acked) {
            if (!delivered.contains(a.payload())) {
                violations.add(new SoakViolation(Rule.NO_LOSS, a.shard(), "-", "acknowledged record " + a.payload()
                        + " at " + a.sequence() + " (acked at " + a.micros() + ") was never delivered"));
            }
        }
    }

    private static void checkKeyOrder(List<Delivery> deliveries, List<SoakViolation> violations) {
        Set<String> seen = new HashSet<>();
        Map<String, Delivery> highest = new HashMap<>();
        for (Delivery d : deliveries) {
            if (!seen.add(d.payload())) {
                continue; // only first deliveries are judged
            }
            Delivery top = highest.get(d.key());
            if (top != null && top.n() > d.n()) {
                violations.add(new SoakViolation(Rule.KEY_ORDER, d.shard(), d.worker(), "first delivery of "
                        + d.payload() + " (" + d.processor() + " at " + d.micros() + ") after the first delivery of "
                        + top.payload() + " (" + top.processor() + " on " + top.shard() + " at " + top.micros() + ")"));
            } else {
                highest.put(d.key(), d);
            }
        }
    }

    /** Each processor's first delivery time, per shard (a processor serves one shard). */
    private static Map<String, Long> processorStarts(List<Delivery> deliveries) {
        Map<String, Long> starts = new HashMap<>();
        deliveries.forEach(d -> starts.putIfAbsent(d.processor(), d.micros()));
        return starts;
    }

    private static void checkExclusiveOwnership(List<Delivery> deliveries, Map<String, Long> processorStart,
                                                List<SoakViolation> violations) {
        Map<String, TreeMap<Long, Delivery>> startsPerShard = new HashMap<>();
        for (Delivery d : deliveries) {
            if (processorStart.get(d.processor()) == d.micros()) {
                startsPerShard.computeIfAbsent(d.shard(), s -> new TreeMap<>()).putIfAbsent(d.micros(), d);
            }
        }
        Set<String> reported = new HashSet<>();
        for (Delivery d : deliveries) {
            long ownStart = processorStart.get(d.processor());
            var next = startsPerShard.get(d.shard()).higherEntry(ownStart);
            if (next != null && next.getKey() < d.micros() && reported.add(d.processor() + "->" + d.shard())) {
                Delivery successor = next.getValue();
                violations.add(new SoakViolation(Rule.EXCLUSIVE_OWNERSHIP, d.shard(), d.worker(), d.processor()
                        + " received " + d.payload() + " at " + d.position() + " at " + d.micros() + ", "
                        + (d.micros() - successor.micros()) / 1000 + " ms after " + successor.processor()
                        + (successor.worker().equals(d.worker()) ? " (same worker)" : "")
                        + " received its first record of the shard (" + successor.payload() + " at "
                        + successor.micros() + ")"));
            }
        }
    }

    private static Map<DuplicateCause, Long> checkDuplicates(List<SoakEvent> events, Map<String, Long> processorStart,
                                                             List<SoakViolation> violations) {
        Map<DuplicateCause, Long> causes = new EnumMap<>(DuplicateCause.class);
        Map<String, Long> lastCheckpointFailedAt = new HashMap<>();
        Map<String, Delivery> lastDelivery = new HashMap<>();
        Map<String, Long> crashedAt = new HashMap<>();
        Map<String, Long> leaseLostAt = new HashMap<>();
        Map<String, List<Checkpointed>> checkpoints = new HashMap<>();
        for (SoakEvent e : events) {
            if (e instanceof Crashed c) {
                crashedAt.putIfAbsent(c.worker(), c.micros());
            } else if (e instanceof LeaseLost l) {
                leaseLostAt.putIfAbsent(l.processor(), l.micros());
            } else if (e instanceof CheckpointFailed f && f.last()) {
                lastCheckpointFailedAt.putIfAbsent(f.processor(), f.micros());
            } else if (e instanceof Checkpointed c) {
                checkpoints.computeIfAbsent(c.shard(), s -> new ArrayList<>()).add(c);
            } else if (e instanceof Delivery d) {
                Delivery previous = lastDelivery.put(d.recordId(), d);
                if (previous != null) {
                    DuplicateCause cause = judgeDuplicate(d, previous, processorStart.get(d.processor()), crashedAt,
                            leaseLostAt, lastCheckpointFailedAt, checkpoints.getOrDefault(d.shard(), List.of()),
                            violations);
                    causes.merge(cause, 1L, Long::sum);
                }
            }
        }
        return causes;
    }

    private static DuplicateCause judgeDuplicate(Delivery d, Delivery previous, long start,
                                                 Map<String, Long> crashedAt, Map<String, Long> leaseLostAt,
                                                 Map<String, Long> lastCheckpointFailedAt,
                                                 List<Checkpointed> checkpoints, List<SoakViolation> violations) {
        String evidence = d.payload() + " at " + d.position() + " delivered to " + d.processor() + " at "
                + d.micros() + ", before to " + previous.processor() + " at " + previous.micros();
        if (previous.processor().equals(d.processor())) {
            violations.add(new SoakViolation(Rule.DUPLICATES, d.shard(), d.worker(),
                    evidence + ": the same processor received the record twice"));
            return DuplicateCause.UNEXPLAINED;
        }
        Long crash = crashedAt.get(previous.worker());
        Long lost = leaseLostAt.get(previous.processor());
        Long failed = lastCheckpointFailedAt.get(previous.processor());
        DuplicateCause cause = crash != null && crash <= start ? DuplicateCause.CRASH
                : lost != null && lost <= start ? DuplicateCause.LEASE_LOST
                : failed != null && failed <= start ? DuplicateCause.LAST_CHECKPOINT_FAILED
                : DuplicateCause.UNEXPLAINED;
        if (cause == DuplicateCause.UNEXPLAINED) {
            violations.add(new SoakViolation(Rule.DUPLICATES, d.shard(), d.worker(), evidence + ": "
                    + previous.worker() + " neither crashed, nor lost the lease, nor failed the last checkpoint of "
                    + previous.processor() + " before " + d.processor() + " started at " + start));
            return cause;
        }
        Checkpointed last = null;
        for (Checkpointed c : checkpoints) {
            if (c.micros() < start && (last == null || c.position().compareTo(last.position()) > 0)) {
                last = c;
            }
        }
        if (last != null && d.position().compareTo(last.position()) <= 0) {
            violations.add(new SoakViolation(Rule.DUPLICATES, d.shard(), d.worker(), evidence + ": at or before "
                    + "the checkpoint " + last.position() + " that " + last.processor() + " stored at "
                    + last.micros() + ", before " + d.processor() + " started"));
        }
        return cause;
    }

    private void checkProgress(List<SoakEvent> events, List<Acked> acked, List<Delivery> deliveries,
                               List<SoakViolation> violations) {
        FaultsEnded end = events.stream().filter(FaultsEnded.class::isInstance).map(FaultsEnded.class::cast)
                .findFirst().orElse(null);
        if (end == null) {
            return;
        }
        long t = end.micros();
        long windowEnd = t + progressWindow.toNanos() / 1000;
        long lastEvent = events.get(events.size() - 1).micros();
        Map<String, Long> firstDelivery = new HashMap<>();
        Map<String, Long> firstAfterEnd = new HashMap<>();
        Map<String, Long> lastBeforeEnd = new HashMap<>();
        for (Delivery d : deliveries) {
            firstDelivery.putIfAbsent(d.shard() + "/" + d.sequence(), d.micros());
            if (d.micros() >= t) {
                firstAfterEnd.putIfAbsent(d.shard(), d.micros());
            } else {
                lastBeforeEnd.put(d.shard(), d.micros());
            }
        }
        Map<String, Acked> pending = new LinkedHashMap<>();
        for (Acked a : acked) {
            Long first = firstDelivery.get(a.shard() + "/" + a.sequence());
            if (a.micros() <= t + (windowEnd - t) / 2 && (first == null || first >= t)) {
                pending.putIfAbsent(a.shard(), a);
            }
        }
        pending.forEach((shard, a) -> {
            Long after = firstAfterEnd.get(shard);
            if (after == null || after > windowEnd) {
                String evidence = "faults ended at " + t + "; " + a.payload() + " (acked at " + a.micros()
                        + ") waited, last delivery before the end at " + lastBeforeEnd.get(shard)
                        + ", first after it " + (after == null ? "never" : "at " + after + ", "
                        + (after - t) / 1000 + " ms after the end");
                if (lastEvent < windowEnd && after == null) {
                    evidence += " (the history ends " + (windowEnd - lastEvent) / 1000 + " ms before the window)";
                }
                violations.add(new SoakViolation(Rule.PROGRESS, shard, "-", evidence));
            }
        });
    }
}
