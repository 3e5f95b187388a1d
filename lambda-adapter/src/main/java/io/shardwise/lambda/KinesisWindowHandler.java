package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of a Lambda function for a Kinesis event source mapping with a tumbling window
 * ({@code TumblingWindowInSeconds}): folds each user record (deaggregated, in order) into the
 * window's state, which Lambda carries from one invocation to the next, and calls {@link
 * #windowEnded} on the window's final invocation.
 *
 * <p>On a failed record it stops, reports the record's parent sequence number as a batch item
 * failure, and returns the state as it was <em>before that parent</em>. Lambda replays the parent
 * (the whole aggregate) from that state, so no sub-record is counted twice into the state.
 */
public abstract class KinesisWindowHandler implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {

    private final ShardRangeFilter shardRangeFilter;

    /** Drops sub-records outside the shard's hash key range, as {@link KinesisBatchProcessor} does by default. */
    protected KinesisWindowHandler() {
        this.shardRangeFilter = ShardRangeFilter.defaults();
    }

    /**
     * Chooses what happens to sub-records outside the shard's hash key range, and where the range
     * comes from (null: the default, as {@link KinesisBatchProcessor.Builder#shardHashRanges}).
     */
    protected KinesisWindowHandler(OutsideShardRange outsideShardRange, ShardHashRanges shardHashRanges) {
        this.shardRangeFilter = new ShardRangeFilter(java.util.Objects.requireNonNull(outsideShardRange,
                "outsideShardRange"), shardHashRanges, shardHashRanges == null);
    }

    @Override
    public final TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event, Context context) {
        Map<String, String> state = event.getState() == null ? new HashMap<>() : new HashMap<>(event.getState());
        List<TimeWindowEventResponse.BatchItemFailure> failures = new ArrayList<>(1);
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords() == null ? List.of() : event.getRecords();

        List<ParentRecord> parents = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parents.add(EventRecords.read(records.get(i), i, event.getEventSourceArn(), event.getShardId(),
                    shardRangeFilter, context));
        }
        KinesisBatchProcessor.logDropped(parents, context);

        for (int i = 0; i < parents.size() && failures.isEmpty(); i++) {
            ParentRecord parent = parents.get(i);
            Map<String, String> beforeParent = new HashMap<>(state);
            for (KinesisUserRecord record : parent.userRecords()) {
                try {
                    Map<String, String> next = aggregate(state, record, context);
                    if (next == null) {
                        throw new IllegalStateException("aggregate returned null for " + record
                                + "; return the (possibly empty) state map");
                    }
                    state = next;
                } catch (Exception e) {
                    HandlerLog.recordFailed(context, record, e);
                    failures.add(new TimeWindowEventResponse.BatchItemFailure(parent.sequenceNumber()));
                    state = beforeParent;
                    break;
                }
            }
        }

        if (failures.isEmpty() && Boolean.TRUE.equals(event.getIsFinalInvokeForWindow())) {
            try {
                windowEnded(state, event, context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("windowEnded failed for the window "
                        + (event.getWindow() == null ? "?" : event.getWindow().getStart() + " .. "
                        + event.getWindow().getEnd()) + " of " + event.getShardId(), e);
            }
        }
        return new TimeWindowEventResponse(state, failures);
    }

    /**
     * Folds one user record into the window's state.
     *
     * @param state the state so far (a mutable copy: change it and return it, or return a new map)
     * @return the new state, never null
     * @throws Exception to report the record failed
     */
    protected abstract Map<String, String> aggregate(Map<String, String> state, KinesisUserRecord record,
                                                     Context context) throws Exception;

    /**
     * Called once the window is complete (the final invocation for it), with its final state, for
     * example to write the window's result. Throwing fails the invocation, and Lambda retries it.
     * Does nothing by default.
     */
    protected void windowEnded(Map<String, String> state, KinesisTimeWindowEvent event, Context context)
            throws Exception {
    }
}
