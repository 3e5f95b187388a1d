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
    private static final int FIELDS = 4;
    private static final ThreadLocal<ParsedAggregate> LOCAL = ThreadLocal.withInitial(ParsedAggregate::new);

    final Keys partitionKeys = new Keys();
    final Keys explicitHashKeys = new Keys();
    int count;
    /** Per user record, {@value #FIELDS} ints in a row: see the accessors below. */
    private int[] records = new int[8 * FIELDS];

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
        if (records.length > KEEP_CAPACITY * FIELDS || partitionKeys.size() > KEEP_CAPACITY
                || explicitHashKeys.size() > KEEP_CAPACITY) {
            LOCAL.remove();
        } else {
            partitionKeys.clear();
            explicitHashKeys.clear();
        }
    }

    void addRecord(int pkIndex, int ehkIndex, int dataOffset, int dataLength) {
        int at = count * FIELDS;
        if (at == records.length) {
            records = Arrays.copyOf(records, at * 2);
        }
        records[at] = pkIndex;
        records[at + 1] = ehkIndex;
        records[at + 2] = dataOffset;
        records[at + 3] = dataLength;
        count++;
    }

    /** The index of record {@code i}'s partition key in {@link #partitionKeys}. */
    int partitionKeyIndex(int i) {
        return records[i * FIELDS];
    }

    /** The index of record {@code i}'s explicit hash key in {@link #explicitHashKeys}; -1 when it has none. */
    int explicitHashKeyIndex(int i) {
        return records[i * FIELDS + 1];
    }

    /** Where record {@code i}'s data starts in the input. */
    int dataOffset(int i) {
        return records[i * FIELDS + 2];
    }

    int dataLength(int i) {
        return records[i * FIELDS + 3];
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
