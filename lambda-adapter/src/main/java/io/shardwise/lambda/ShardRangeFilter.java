package io.shardwise.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.shardwise.aggregation.HashKeyRange;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies an {@link OutsideShardRange} policy: learns the shard's hash key range when an event
 * holds an aggregate, and says which sub-records to drop.
 *
 * <p>Where the range comes from: the configured {@link ShardHashRanges}; else, inside Lambda
 * (the runtime sets {@code AWS_LAMBDA_FUNCTION_NAME}) and with the Kinesis SDK on the classpath, a
 * {@link KinesisShardHashRanges} with the function's own region and credentials, made on the first
 * aggregate; else none. Without a range the sub-records are delivered unchecked, and the function
 * log says so once per shard: a lookup never fails a batch (the records it would drop are
 * duplicates the KPL sends again, so delivering them is at-least-once, never a loss).
 */
final class ShardRangeFilter {

    static final String KINESIS_CLIENT_CLASS = "software.amazon.awssdk.services.kinesis.KinesisClient";

    private final OutsideShardRange policy;
    private final boolean defaultLookupAllowed;
    private volatile ShardHashRanges lookup;
    private volatile boolean defaultLookupTried;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    ShardRangeFilter(OutsideShardRange policy, ShardHashRanges lookup, boolean defaultLookupAllowed) {
        this.policy = policy;
        this.lookup = lookup;
        this.defaultLookupAllowed = defaultLookupAllowed;
    }

    /** The filter of handlers built without options: drop, with the default lookup inside Lambda. */
    static ShardRangeFilter defaults() {
        return new ShardRangeFilter(OutsideShardRange.DROP, null, true);
    }

    boolean drops() {
        return policy == OutsideShardRange.DROP;
    }

    /** The shard's range to check an aggregate against, or null to deliver everything unchecked. */
    HashKeyRange rangeFor(String eventSourceArn, String shardId, Context context) {
        if (policy == OutsideShardRange.DELIVER) {
            return null;
        }
        ShardHashRanges ranges = lookupOrDefault(context);
        if (ranges == null) {
            warnOnce(context, "no-lookup", "sub-records outside a shard's hash range are delivered unchecked: outside"
                    + " Lambda, or without software.amazon.awssdk:kinesis on the classpath, the adapter cannot learn"
                    + " shard ranges; give KinesisBatchProcessor.Builder.shardHashRanges(...) to drop them as the KCL"
                    + " does, or outsideShardRange(DELIVER) to silence this", null);
            return null;
        }
        if (eventSourceArn == null) {
            warnOnce(context, "no-arn", "an event record without eventSourceARN: its sub-records are delivered"
                    + " unchecked", null);
            return null;
        }
        try {
            HashKeyRange range = ranges.hashKeyRange(eventSourceArn, shardId);
            if (range == null) {
                warnOnce(context, eventSourceArn + '|' + shardId, "the hash key range of " + shardId + " of "
                        + eventSourceArn + " is unknown; its sub-records are delivered unchecked", null);
            }
            return range;
        } catch (RuntimeException e) {
            warnOnce(context, eventSourceArn + '|' + shardId, "could not look up the hash key range of " + shardId
                    + " of " + eventSourceArn + " (grant kinesis:ListShards, give shardHashRanges(...), or set"
                    + " outsideShardRange(DELIVER)); its sub-records are delivered unchecked", e);
            return null;
        }
    }

    private ShardHashRanges lookupOrDefault(Context context) {
        ShardHashRanges current = lookup;
        if (current != null || !defaultLookupAllowed || defaultLookupTried) {
            return current;
        }
        synchronized (this) {
            if (lookup == null && !defaultLookupTried) {
                defaultLookupTried = true;
                if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null && kinesisSdkPresent()) {
                    try {
                        lookup = KinesisShardHashRanges.fromEnvironment();
                    } catch (RuntimeException | LinkageError e) {
                        HandlerLog.warn(context, "could not create a Kinesis client to learn shard ranges",
                                e instanceof RuntimeException r ? r : new IllegalStateException(e));
                    }
                }
            }
            return lookup;
        }
    }

    private static boolean kinesisSdkPresent() {
        try {
            Class.forName(KINESIS_CLIENT_CLASS, false, ShardRangeFilter.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private void warnOnce(Context context, String key, String message, RuntimeException error) {
        if (warned.add(key)) {
            if (error == null) {
                HandlerLog.info(context, message);
            } else {
                HandlerLog.warn(context, message, error);
            }
        }
    }
}
