package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a {@link UserRecordHandler} over a Kinesis event: deaggregates each record, calls the
 * handler for each user record in order, and builds the partial batch response.
 *
 * <p>The response follows {@code ReportBatchItemFailures}: an empty list when every record
 * succeeded, else the sequence numbers of the failed Kinesis records (a failed sub-record is
 * reported by its parent's sequence number, the only identifier Lambda knows). Identifiers are
 * never empty: an event record without a sequence number makes the invocation throw {@link
 * MalformedEventException} before any record runs.
 *
 * <p><b>Replays of aggregates.</b> Lambda resumes from the lowest reported sequence number. When
 * a sub-record in the middle of an aggregate fails, Lambda therefore delivers the whole aggregate
 * again, and without a {@link ProgressStore} the sub-records before the failed one run again (at
 * least once). With a store, the handler saves the last sub-record it finished before the failure
 * (one conditional write, only when it stopped inside an aggregate) and, on the replay, skips the
 * sub-records up to it (one consistent read per shard, only for events holding aggregates), so in
 * {@link FailureMode#STOP_AT_FIRST_FAILURE} each user record succeeds exactly once. In {@link
 * FailureMode#CONTINUE} the store still protects the first failed aggregate's finished prefix, but
 * records after the first failure run again on the replay, as Lambda redelivers them. When the store
 * cannot be read, the invocation fails (Lambda retries it) rather than risk running a sub-record
 * twice; when it cannot be written, the failure is logged and the replay runs the prefix again.
 *
 * <p>Written for cold starts: no lambdas, streams or records' generated methods on the invocation
 * path (each would bootstrap {@code java.lang.invoke} on the first call), and the module is compiled
 * with inline string concatenation.
 *
 * <p>Thread-safe; build one per function and keep it in a field (outside the handler method).
 */
public final class KinesisBatchProcessor {

    private final FailureMode failureMode;
    private final ProgressStore progressStore;

    private KinesisBatchProcessor(Builder builder) {
        this.failureMode = builder.failureMode;
        this.progressStore = builder.progressStore;
    }

    /** A builder with the defaults: stop at the first failure, no progress store. */
    public static Builder builder() {
        return new Builder();
    }

    public FailureMode failureMode() {
        return failureMode;
    }

    /**
     * Processes the event.
     *
     * @throws MalformedEventException when a record has no sequence number or event id
     */
    public StreamsEventResponse process(KinesisEvent event, Context context, UserRecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        List<ParentRecord> parents = readAll(event);
        Map<ParentRecord.ShardKey, ShardProgress> shards = new LinkedHashMap<>();
        Set<String> failed = new LinkedHashSet<>();

        for (ParentRecord parent : parents) {
            ShardProgress shard = shards.get(parent.shard());
            if (shard == null) {
                shard = new ShardProgress();
                shards.put(parent.shard(), shard);
            }
            loadStoredPosition(parent, shard);
            boolean parentFailed = runParent(parent, shard, context, handler);
            if (parentFailed) {
                failed.add(parent.sequenceNumber());
                if (failureMode == FailureMode.STOP_AT_FIRST_FAILURE) {
                    break;
                }
            }
        }
        saveProgress(shards, context);

        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (String sequenceNumber : failed) {
            failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
        }
        return new StreamsEventResponse(failures);
    }

    /** Runs the parent's user records; true when one of them failed. */
    private boolean runParent(ParentRecord parent, ShardProgress shard, Context context, UserRecordHandler handler) {
        boolean parentFailed = false;
        for (KinesisUserRecord record : parent.userRecords()) {
            if (shard.stored != null && !record.position().isAfter(shard.stored)) {
                continue; // finished by an earlier invocation that stopped inside this aggregate
            }
            try {
                handler.handle(record, context);
                if (progressStore != null && shard.firstFailedSequence == null) {
                    shard.lastDone = record.position();
                }
            } catch (Exception e) {
                HandlerLog.recordFailed(context, record, e);
                parentFailed = true;
                if (shard.firstFailedSequence == null) {
                    shard.firstFailedSequence = parent.sequenceNumber();
                }
                if (failureMode == FailureMode.STOP_AT_FIRST_FAILURE) {
                    break;
                }
            }
        }
        return parentFailed;
    }

    /** Only aggregates can have been left half-done, so plain records never cost a read. */
    private void loadStoredPosition(ParentRecord parent, ShardProgress shard) {
        if (progressStore != null && parent.aggregated() && !shard.loaded) {
            shard.stored = progressStore.load(parent.eventSourceArn(), parent.shardId()).orElse(null);
            shard.loaded = true;
        }
    }

    /**
     * Saves the finished prefix of a shard only when it ends inside the aggregate Lambda will
     * replay (the first failed parent): anywhere else the replay would not repeat it anyway.
     */
    private void saveProgress(Map<ParentRecord.ShardKey, ShardProgress> shards, Context context) {
        if (progressStore == null) {
            return;
        }
        for (Map.Entry<ParentRecord.ShardKey, ShardProgress> entry : shards.entrySet()) {
            ParentRecord.ShardKey key = entry.getKey();
            ShardProgress shard = entry.getValue();
            if (shard.firstFailedSequence != null && shard.lastDone != null
                    && shard.lastDone.sequenceNumber().equals(shard.firstFailedSequence)) {
                try {
                    progressStore.save(key.eventSourceArn(), key.shardId(), shard.lastDone);
                } catch (RuntimeException e) {
                    // The failure is still reported; only the exactly-once skip on the replay is lost.
                    HandlerLog.warn(context, "could not save progress " + shard.lastDone + " of " + key.shardId()
                            + "; the replay will run the aggregate's finished sub-records again", e);
                }
            }
        }
    }

    private static List<ParentRecord> readAll(KinesisEvent event) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords();
        List<ParentRecord> parents = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parents.add(EventRecords.read(records.get(i), i, null, null));
        }
        return parents;
    }

    /** Per-shard bookkeeping of one invocation. */
    private static final class ShardProgress {
        boolean loaded;
        RecordPosition stored;
        RecordPosition lastDone;
        String firstFailedSequence;
    }

    /** Options of a {@link KinesisBatchProcessor}. */
    public static final class Builder {
        private FailureMode failureMode = FailureMode.STOP_AT_FIRST_FAILURE;
        private ProgressStore progressStore;

        private Builder() {
        }

        /** What to do after a failed record; default {@link FailureMode#STOP_AT_FIRST_FAILURE}. */
        public Builder failureMode(FailureMode failureMode) {
            this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
            return this;
        }

        /** Where to keep sub-record progress for exact resume inside aggregates; default none. */
        public Builder progressStore(ProgressStore progressStore) {
            this.progressStore = progressStore;
            return this;
        }

        public KinesisBatchProcessor build() {
            return new KinesisBatchProcessor(this);
        }
    }
}
