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
import java.util.OptionalLong;
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
 * least once). With a store, the handler saves the last sub-record it finished inside the failed
 * aggregate (one conditional write, only when it stopped inside an aggregate), keyed by the
 * consumer and that aggregate ({@link AggregateKey}); a replay starts with the failed record, so
 * when an event's first record is an aggregate the handler reads its progress (one consistent
 * read) and skips only that aggregate's finished sub-records. Nothing else is ever skipped, so
 * concurrent batches of one shard (ParallelizationFactor &gt; 1), other functions sharing the
 * table and replays never lose records. In {@link FailureMode#STOP_AT_FIRST_FAILURE} each user
 * record then succeeds exactly once. In {@link FailureMode#CONTINUE} the store still protects the
 * first failed aggregate's finished prefix, but records after the first failure run again on the
 * replay, as Lambda redelivers them. When the store cannot be read, the invocation fails (Lambda
 * retries it) rather than risk running a sub-record twice; when it cannot be written, the failure
 * is logged and the replay runs the prefix again.
 *
 * <p><b>Sub-records outside the shard's hash key range</b> (an aggregate packed for a stale shard
 * map) are dropped by default, as the KCL does, with a metric line; see {@link OutsideShardRange}
 * and {@link Builder#shardHashRanges}.
 *
 * <p>Written for cold starts: no lambdas, streams or records' generated methods on the invocation
 * path (each would bootstrap {@code java.lang.invoke} on the first call), and the module is compiled
 * with inline string concatenation.
 *
 * <p>Thread-safe; build one per function and keep it in a field (outside the handler method).
 */
public final class KinesisBatchProcessor {

    /** The consumer of progress items when neither a consumer id nor a context names one (tests). */
    static final String UNNAMED_CONSUMER = "unnamed-consumer";

    private final FailureMode failureMode;
    private final ProgressStore progressStore;
    private final String consumerId;
    private final ShardRangeFilter shardRangeFilter;

    private KinesisBatchProcessor(Builder builder) {
        this.failureMode = builder.failureMode;
        this.progressStore = builder.progressStore;
        this.consumerId = builder.consumerId;
        this.shardRangeFilter = new ShardRangeFilter(builder.outsideShardRange, builder.shardHashRanges,
                builder.shardHashRanges == null);
    }

    /**
     * A builder with the defaults: stop at the first failure, no progress store, drop sub-records
     * outside the shard's hash key range (when it can be learned, see {@link OutsideShardRange}).
     */
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
        List<ParentRecord> parents = readAll(event, shardRangeFilter, context);
        String consumer = consumerOf(context);
        Map<ParentRecord.ShardKey, ShardProgress> shards = new LinkedHashMap<>();
        Set<String> failed = new LinkedHashSet<>();

        for (ParentRecord parent : parents) {
            ShardProgress shard = shards.get(parent.shard());
            boolean firstOfShard = shard == null;
            if (firstOfShard) {
                shard = new ShardProgress();
                shards.put(parent.shard(), shard);
            }
            long skipThrough = firstOfShard ? storedProgress(parent, consumer) : -1;
            boolean parentFailed = runParent(parent, skipThrough, shard, context, handler);
            if (parentFailed) {
                failed.add(parent.sequenceNumber());
                if (failureMode == FailureMode.STOP_AT_FIRST_FAILURE) {
                    break;
                }
            }
        }
        saveProgress(shards, consumer, context);

        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(failed.size());
        for (String sequenceNumber : failed) {
            failures.add(new StreamsEventResponse.BatchItemFailure(sequenceNumber));
        }
        return new StreamsEventResponse(failures);
    }

    /** Runs the parent's user records after {@code skipThrough}; true when one of them failed. */
    private boolean runParent(ParentRecord parent, long skipThrough, ShardProgress shard, Context context,
                              UserRecordHandler handler) {
        boolean parentFailed = false;
        for (KinesisUserRecord record : parent.userRecords()) {
            if (record.subSequenceNumber() <= skipThrough) {
                continue; // finished by an earlier invocation that stopped inside this aggregate
            }
            try {
                handler.handle(record, context);
                if (!parentFailed && shard.firstFailed == null) {
                    shard.lastDoneInParent = record.subSequenceNumber();
                }
            } catch (Exception e) {
                HandlerLog.recordFailed(context, record, e);
                if (!parentFailed && shard.firstFailed == null) {
                    shard.firstFailed = parent;
                    shard.finishedPrefix = shard.lastDoneInParent;
                }
                parentFailed = true;
                if (failureMode == FailureMode.STOP_AT_FIRST_FAILURE) {
                    break;
                }
            }
        }
        shard.lastDoneInParent = -1;
        return parentFailed;
    }

    /**
     * The stored progress inside the event's first record of a shard, or -1. Lambda replays a
     * partially failed batch from the reported record, so only a batch's first record can be an
     * aggregate left half done; plain records never cost a read. Reading nothing else means that
     * the worst a surprise can cause is a sub-record running again, never one skipped.
     */
    private long storedProgress(ParentRecord parent, String consumer) {
        if (progressStore == null || !parent.aggregated()) {
            return -1;
        }
        OptionalLong stored = progressStore.load(keyOf(parent, consumer));
        return stored.isPresent() ? stored.getAsLong() : -1;
    }

    /**
     * Saves the finished prefix of the first failed parent of each shard, when the failure was
     * inside an aggregate after at least one finished sub-record: that parent is where Lambda's
     * replay starts, and anywhere else the replay would not repeat anything anyway.
     */
    private void saveProgress(Map<ParentRecord.ShardKey, ShardProgress> shards, String consumer, Context context) {
        if (progressStore == null) {
            return;
        }
        for (ShardProgress shard : shards.values()) {
            if (shard.firstFailed != null && shard.firstFailed.aggregated() && shard.finishedPrefix >= 0) {
                AggregateKey key = keyOf(shard.firstFailed, consumer);
                try {
                    progressStore.save(key, shard.finishedPrefix);
                } catch (RuntimeException e) {
                    // The failure is still reported; only the exactly-once skip on the replay is lost.
                    HandlerLog.warn(context, "could not save progress " + shard.firstFailed.sequenceNumber() + "/"
                            + shard.finishedPrefix + " of " + shard.firstFailed.shardId()
                            + "; the replay will run the aggregate's finished sub-records again", e);
                }
            }
        }
    }

    private static AggregateKey keyOf(ParentRecord parent, String consumer) {
        return new AggregateKey(consumer, parent.eventSourceArn() == null ? "" : parent.eventSourceArn(),
                parent.shardId(), parent.sequenceNumber());
    }

    /** The configured consumer id, else the invoked function's ARN (with its alias or version). */
    private String consumerOf(Context context) {
        if (consumerId != null) {
            return consumerId;
        }
        if (context != null && context.getInvokedFunctionArn() != null && !context.getInvokedFunctionArn().isEmpty()) {
            return context.getInvokedFunctionArn();
        }
        return UNNAMED_CONSUMER;
    }

    private static List<ParentRecord> readAll(KinesisEvent event, ShardRangeFilter filter, Context context) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords();
        List<ParentRecord> parents = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parents.add(EventRecords.read(records.get(i), i, null, null, filter, context));
        }
        logDropped(parents, context);
        return parents;
    }

    /** One metric line per shard of the event that had sub-records dropped outside its range. */
    static void logDropped(List<ParentRecord> parents, Context context) {
        Map<ParentRecord.ShardKey, int[]> dropped = null;
        for (ParentRecord parent : parents) {
            if (parent.droppedOutsideShardRange() > 0) {
                if (dropped == null) {
                    dropped = new LinkedHashMap<>();
                }
                int[] counts = dropped.get(parent.shard());
                if (counts == null) {
                    counts = new int[2];
                    dropped.put(parent.shard(), counts);
                }
                counts[0] += parent.droppedOutsideShardRange();
                counts[1]++;
            }
        }
        if (dropped != null) {
            long now = System.currentTimeMillis();
            for (Map.Entry<ParentRecord.ShardKey, int[]> entry : dropped.entrySet()) {
                HandlerLog.droppedOutsideShardRange(context, entry.getKey().eventSourceArn(), entry.getKey().shardId(),
                        entry.getValue()[0], entry.getValue()[1], now);
            }
        }
    }

    /** Per-shard bookkeeping of one invocation. */
    private static final class ShardProgress {
        /** The last sub-record finished in the parent running now, before any failure; -1 if none. */
        long lastDoneInParent = -1;
        /** The shard's first failed parent, and its sub-records finished before that failure. */
        ParentRecord firstFailed;
        long finishedPrefix = -1;
    }

    /** Options of a {@link KinesisBatchProcessor}. */
    public static final class Builder {
        private FailureMode failureMode = FailureMode.STOP_AT_FIRST_FAILURE;
        private ProgressStore progressStore;
        private String consumerId;
        private OutsideShardRange outsideShardRange = OutsideShardRange.DROP;
        private ShardHashRanges shardHashRanges;

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

        /**
         * Who consumes, in the progress store's keys; default the invoked function's ARN from the
         * context (it includes the alias or version a mapping targets). Set it when two event
         * source mappings invoke the same function ARN on one stream (the mapping's UUID is a good
         * value): Lambda's event does not say which mapping sent it.
         */
        public Builder consumerId(String consumerId) {
            if (consumerId != null && consumerId.isBlank()) {
                throw new IllegalArgumentException("consumerId must not be blank, was '" + consumerId + "'");
            }
            this.consumerId = consumerId;
            return this;
        }

        /**
         * What to do with sub-records outside the shard's hash key range; default {@link
         * OutsideShardRange#DROP} (as the KCL; the KPL sends them again to their shard). Use {@link
         * OutsideShardRange#DELIVER} for producers that never send them again (the npm aggregator).
         */
        public Builder outsideShardRange(OutsideShardRange policy) {
            this.outsideShardRange = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Where shard hash key ranges come from, for {@link OutsideShardRange#DROP}. Default: inside
         * Lambda with {@code software.amazon.awssdk:kinesis} on the classpath, a {@link
         * KinesisShardHashRanges} with the function's region and credentials, made on the first
         * aggregate; otherwise none, and sub-records are delivered unchecked (logged once per shard).
         */
        public Builder shardHashRanges(ShardHashRanges ranges) {
            this.shardHashRanges = ranges;
            return this;
        }

        public KinesisBatchProcessor build() {
            return new KinesisBatchProcessor(this);
        }
    }
}
