package io.shardwise.testkit.lambda;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Moves a lane's checkpoint after an invocation as Lambda would: past the whole batch on success,
 * up to the lowest reported failure with ReportBatchItemFailures, nowhere on a function error
 * (splitting the batch in halves first when bisecting). A batch that failed more often than the
 * retry limit allows, or records older than the maximum record age, are given up: removed from the
 * lane and handed to the on-failure callback.
 *
 * <p>Called with the lane's monitor held.
 */
final class EventSourceOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourceOutcomes.class);

    private final EventSourceSettings settings;
    private final List<LocalEventSourceMapping.DiscardedBatch> discarded = new CopyOnWriteArrayList<>();

    EventSourceOutcomes(EventSourceSettings settings) {
        this.settings = settings;
    }

    /** Every batch given up so far, in the order it was given up. */
    List<LocalEventSourceMapping.DiscardedBatch> discarded() {
        return List.copyOf(discarded);
    }

    /**
     * Moves the lane after the invocation of {@code batch}, which answered {@code responseJson} or
     * threw {@code error}; returns the identifiers read from the response.
     */
    List<String> apply(EventSourceShard shard, EventSourceLane lane, EventSourceBatch batch, String responseJson,
                       Throwable error) {
        List<Record> records = batch.records();
        if (error != null) {
            if (batch.finalWindowInvoke()) {
                LOG.debug("the final invocation of a window of {} failed: {}; retrying it", shard.shardId, error.toString());
                return List.of(); // Lambda pauses the shard until the final invocation succeeds
            }
            functionError(shard, lane, records, error.toString());
            return List.of();
        }
        if (settings.windowed()) {
            Map<String, String> state = EventSourceEvents.windowState(responseJson);
            if (state == null) {
                if (!batch.finalWindowInvoke()) {
                    functionError(shard, lane, records, "the response of a tumbling-window invocation has no state");
                }
                return List.of();
            }
            if (batch.finalWindowInvoke()) {
                lane.closeWindow();
                return List.of();
            }
            lane.windowState = state;
        }
        if (!settings.reportBatchItemFailures()) {
            lane.completeHead(records.size());
            return List.of();
        }
        Set<String> sequences = new HashSet<>();
        records.forEach(r -> sequences.add(r.sequenceNumber()));
        EventSourceEvents.BatchItemFailures failures = EventSourceEvents.batchItemFailures(responseJson, sequences);
        if (failures.wholeBatchFailed()) {
            functionError(shard, lane, records, "invalid partial batch response: " + failures.reason());
        } else if (failures.identifiers().isEmpty()) {
            lane.completeHead(records.size());
        } else {
            partiallyFailed(shard, lane, records, failures.identifiers());
        }
        return failures.identifiers();
    }

    /** Gives up the lane's first records when they are older than the maximum record age. */
    void discardExpired(EventSourceShard shard, EventSourceLane lane) {
        if (settings.maximumRecordAge() == null) {
            return;
        }
        Instant oldest = Instant.now().minus(settings.maximumRecordAge());
        List<Record> expired = new ArrayList<>();
        for (Record r : lane.pending) {
            if (!r.approximateArrivalTimestamp().isBefore(oldest)) {
                break;
            }
            expired.add(r);
        }
        if (!expired.isEmpty()) {
            discard(shard, lane, expired, LocalEventSourceMapping.DiscardReason.RECORD_AGE_EXCEEDED,
                    "older than the maximum record age " + settings.maximumRecordAge());
        }
    }

    /** Lambda resumes from the lowest reported sequence number: the records before it are done. */
    private void partiallyFailed(EventSourceShard shard, EventSourceLane lane, List<Record> batch,
                                 List<String> identifiers) {
        BigInteger lowest = identifiers.stream().map(BigInteger::new).min(BigInteger::compareTo).orElseThrow();
        int index = 0;
        while (!new BigInteger(batch.get(index).sequenceNumber()).equals(lowest)) {
            index++;
        }
        if (index > 0) {
            lane.removeHead(index);
        }
        countAttempt(lane, batch.get(index).sequenceNumber());
        if (retriesExhausted(lane)) {
            discard(shard, lane, batch.subList(index, batch.size()),
                    LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED, "batch item failure reported for " + lowest);
        }
    }

    /** The handler threw (or answered nonsense): retry the whole batch, or split it when bisecting. */
    private void functionError(EventSourceShard shard, EventSourceLane lane, List<Record> batch, String error) {
        LOG.debug("function error on {} at {}: {}", shard.shardId, batch.get(0).sequenceNumber(), error);
        if (settings.bisectBatchOnFunctionError() && batch.size() > 1) {
            if (lane.bisectLimit == 0) {
                lane.bisectRemaining = batch.size();
            }
            lane.bisectLimit = (batch.size() + 1) / 2; // splitting does not count as a retry
            return;
        }
        countAttempt(lane, batch.get(0).sequenceNumber());
        if (retriesExhausted(lane)) {
            discard(shard, lane, batch, LocalEventSourceMapping.DiscardReason.RETRIES_EXHAUSTED, error);
        }
    }

    /** Counts a failed attempt at the batch starting with {@code start}. */
    private static void countAttempt(EventSourceLane lane, String start) {
        if (!start.equals(lane.attemptStartSequence)) {
            lane.attemptStartSequence = start;
            lane.failedAttempts = 0;
        }
        lane.failedAttempts++;
    }

    private boolean retriesExhausted(EventSourceLane lane) {
        return settings.maximumRetryAttempts() >= 0 && lane.failedAttempts > settings.maximumRetryAttempts();
    }

    /** Gives up the head of the lane's pending records and tells the on-failure destination. */
    private void discard(EventSourceShard shard, EventSourceLane lane, List<Record> records,
                         LocalEventSourceMapping.DiscardReason reason, String error) {
        Record first = records.get(0);
        Record last = records.get(records.size() - 1);
        LocalEventSourceMapping.DiscardedBatch batch = new LocalEventSourceMapping.DiscardedBatch(
                settings.streamArn(), shard.shardId, first.sequenceNumber(), last.sequenceNumber(), records.size(),
                first.approximateArrivalTimestamp(), last.approximateArrivalTimestamp(), reason,
                lane.failedAttempts, error);
        LOG.info("discarding {} records of {} ({}): {}", records.size(), shard.shardId, reason, error);
        lane.completeHead(records.size());
        discarded.add(batch);
        settings.onFailure().accept(batch);
    }
}
