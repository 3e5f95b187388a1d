package io.shardwise.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link AggregateParser} found: both key tables and, per user record, its table indexes and
 * where its data lies in the input. Data is not copied until the whole aggregate is known valid.
 * One instance per thread is reused (its arrays grow once), unless an aggregate made it large.
 */
final class ParsedAggregate {

    /** Larger instances are not kept, so a thread holds at most a few hundred KiB. */
    private static final int KEEP_CAPACITY = 16_384;
    private static final ThreadLocal<ParsedAggregate> LOCAL = ThreadLocal.withInitial(ParsedAggregate::new);

    final List<String> partitionKeys = new ArrayList<>();
    final List<String> explicitHashKeys = new ArrayList<>();
    int count;
    int[] partitionKeyIndexes = new int[8];
    /** -1 when the record has no explicit hash key. */
    int[] explicitHashKeyIndexes = new int[8];
    int[] dataOffsets = new int[8];
    int[] dataLengths = new int[8];

    /** An empty instance for this thread; give it back with {@link #release()} when done. */
    static ParsedAggregate acquire() {
        ParsedAggregate parsed = LOCAL.get();
        parsed.partitionKeys.clear();
        parsed.explicitHashKeys.clear();
        parsed.count = 0;
        return parsed;
    }

    /** Drops references to this aggregate's strings; forgets the instance if it grew large. */
    void release() {
        if (dataOffsets.length > KEEP_CAPACITY || partitionKeys.size() > KEEP_CAPACITY
                || explicitHashKeys.size() > KEEP_CAPACITY) {
            LOCAL.remove();
        } else {
            partitionKeys.clear();
            explicitHashKeys.clear();
        }
    }

    void addRecord(int pkIndex, int ehkIndex, int dataOffset, int dataLength) {
        if (count == dataOffsets.length) {
            int capacity = count * 2;
            partitionKeyIndexes = Arrays.copyOf(partitionKeyIndexes, capacity);
            explicitHashKeyIndexes = Arrays.copyOf(explicitHashKeyIndexes, capacity);
            dataOffsets = Arrays.copyOf(dataOffsets, capacity);
            dataLengths = Arrays.copyOf(dataLengths, capacity);
        }
        partitionKeyIndexes[count] = pkIndex;
        explicitHashKeyIndexes[count] = ehkIndex;
        dataOffsets[count] = dataOffset;
        dataLengths[count] = dataLength;
        count++;
    }
}
