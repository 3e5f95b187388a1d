package io.shardwise.producer;

import io.shardwise.kinesis.AwsErrorClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * What one PutRecords answer (or failed call) means for each user record it covered: stored (with its
 * result), stored in an aggregate on another shard than predicted (to reconcile once the map is fresh),
 * to retry, expired, or failed for good; and, per shard, whether it was throttled or stored anything.
 * Reading an answer changes no shared state: the sender applies the outcome.
 */
final class AnswerOutcome {
    final List<PendingRecord> stored = new ArrayList<>();
    final List<SendResult> results = new ArrayList<>();
    final Map<ShardQueue, List<PendingRecord>> retry = new LinkedHashMap<>();
    final List<PendingRecord> expired = new ArrayList<>();
    final List<PendingRecord> finalFailures = new ArrayList<>();
    final List<ShardQueue> succeededQueues = new ArrayList<>();
    /** Per shard, how many of its entries were throttled (a throttled call counts once per shard). */
    final Map<ShardQueue, Integer> throttledEntries = new LinkedHashMap<>();
    /** Aggregates stored on another shard than their queue's: the map is stale. */
    final List<Misplaced> misplaced = new ArrayList<>();
    /** Some entry landed on another shard than predicted: refresh the map at once. */
    boolean wrongShard;

    record Misplaced(PutBatch.Entry entry, PutRecordsResultEntry result, Attempt success) {}

    private final long ttlNanos;

    private AnswerOutcome(long ttlNanos) {
        this.ttlNanos = ttlNanos;
    }

    /** Reads the answer to {@code batch}: {@code response} or, when the call failed, {@code error}. */
    static AnswerOutcome read(PutBatch batch, PutRecordsResponse response, Throwable error, long endNanos, long ttlNanos,
                              ProducerMetrics metrics) {
        AnswerOutcome outcome = new AnswerOutcome(ttlNanos);
        Duration took = Duration.ofNanos(endNanos - batch.sentAtNanos());
        if (error == null && response.records().size() != batch.entries().size()) {
            error = new IllegalStateException("PutRecords answered " + response.records().size()
                    + " entries for " + batch.entries().size());
        }
        if (error != null) {
            AwsErrorClassifier.Failure failure = AwsErrorClassifier.ofCall(error);
            if (failure.kind() == AwsErrorClassifier.Kind.FINAL && error instanceof IllegalStateException) {
                failure = new AwsErrorClassifier.Failure(AwsErrorClassifier.Kind.RETRIABLE, "MalformedResponse", error.getMessage());
            }
            Attempt attempt = new Attempt(batch.sentAt(), took, failure.code(), failure.message());
            for (ShardQueue queue : batch.queues()) {
                if (failure.kind() == AwsErrorClassifier.Kind.THROTTLED) {
                    outcome.throttledEntries.put(queue, 1);
                    metrics.throttled(queue.id());
                }
            }
            for (PutBatch.Entry entry : batch.entries()) {
                outcome.failed(entry, failure, attempt, endNanos);
            }
            return outcome;
        }
        Attempt success = new Attempt(batch.sentAt(), took, null, null);
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
            PutBatch.Entry entry = batch.entries().get(i);
            PutRecordsResultEntry result = results.get(i);
            if (result.errorCode() == null) {
                if (outcome.stored(entry, result, success)) {
                    metrics.kinesisRecordPut(entry.userRecords().size(), entry.sizeBytes());
                }
            } else {
                AwsErrorClassifier.Failure failure = AwsErrorClassifier.ofEntry(result.errorCode(), result.errorMessage());
                if (failure.kind() == AwsErrorClassifier.Kind.THROTTLED) {
                    outcome.throttledEntries.merge(entry.queue(), 1, Integer::sum);
                    metrics.throttled(entry.queue().id());
                }
                outcome.failed(entry, failure, new Attempt(batch.sentAt(), took, failure.code(), failure.message()), endNanos);
            }
        }
        return outcome;
    }

    /** Returns false for an aggregate stored on another shard than predicted (its sub-records wait). */
    private boolean stored(PutBatch.Entry entry, PutRecordsResultEntry result, Attempt success) {
        ShardQueue queue = entry.queue();
        if (!queue.isUnknown() && !queue.id().equals(result.shardId())) {
            // Landed elsewhere than predicted: the map is stale (a split or merge). Refresh at once.
            wrongShard = true;
            if (entry.aggregated()) {
                misplaced.add(new Misplaced(entry, result, success));
                return false;
            }
        }
        if (!succeededQueues.contains(queue)) {
            succeededQueues.add(queue);
        }
        boolean aggregated = entry.aggregated();
        List<PendingRecord> users = entry.userRecords();
        // Records stored at their first attempt share one immutable history (SendResult copies
        // anything else), instead of one copy per user record.
        List<Attempt> firstTry = List.of(success);
        for (int i = 0; i < users.size(); i++) {
            PendingRecord record = users.get(i);
            List<Attempt> attempts = firstTry;
            if (record.attemptCount() > 0) {
                record.addAttempt(success);
                attempts = record.attempts();
            }
            stored.add(record);
            results.add(new SendResult(result.shardId(), result.sequenceNumber(), aggregated ? i : 0, attempts));
        }
        return true;
    }

    private void failed(PutBatch.Entry entry, AwsErrorClassifier.Failure failure, Attempt attempt, long now) {
        for (PendingRecord record : entry.userRecords()) {
            record.addAttempt(attempt);
            if (!failure.retriable()) {
                finalFailures.add(record);
            } else if (now >= record.deadlineNanos(ttlNanos)) {
                expired.add(record);
            } else {
                retry.computeIfAbsent(entry.queue(), q -> new ArrayList<>()).add(record);
            }
        }
    }
}
