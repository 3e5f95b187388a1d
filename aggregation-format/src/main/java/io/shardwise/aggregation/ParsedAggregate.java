package io.shardwise.aggregation;

import java.util.Arrays;

/**
 * What {@link AggregateParser} found: both key tables and, per user record, its table indexes and
 * where its data lies in the input. Data is not copied until the whole aggregate is known valid.
 * One instance per thread is reused (its arrays grow once), unless an aggregate made it large.
 */
final class ParsedAggregate {

    /** Larger instances are not kept, so a thread holds at most a few hundred KiB. */
    private static final int KEEP_CAPACITY = 16_384;
    private static final ThreadLocal<ParsedAggregate> LOCAL = ThreadLocal.withInitial(ParsedAggregate::new);

    final Keys partitionKeys = new Keys();
    final Keys explicitHashKeys = new Keys();
    int count;
    int[] partitionKeyIndexes = new int[8];
    /** -1 when the record has no explicit hash key. */
    int[] explicitHashKeyIndexes = new int[8];
    int[] dataOffsets = new int[8];
    int[] dataLengths = new int[8];

    /** An empty instance for this thread; give it back with {@link #release()} when done. */
    static ParsedAggregate acquire() {
        ParsedAggregate parsed = LOCAL.get();
        parsed.clear();
        return parsed;
    }

    /** Forgets everything found so far. */
    void clear() {
        partitionKeys.clear();
        explicitHashKeys.clear();
        count = 0;
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

    /** A key table as read: a growable array of strings (no list wrapper on the hot path). */
    static final class Keys {
        private String[] values = new String[16];
        private int size;

        void add(String key) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = key;
        }

        String get(int index) {
            return values[index];
        }

        int size() {
            return size;
        }

        /**
         * Starts over with a fresh array of the same capacity rather than clearing the old one:
         * with G1, storing new strings into an array that has reached the old generation costs a
         * memory fence per store, into a young array nothing.
         */
        void clear() {
            if (size > 0) {
                values = new String[values.length];
                size = 0;
            }
        }
    }
}
