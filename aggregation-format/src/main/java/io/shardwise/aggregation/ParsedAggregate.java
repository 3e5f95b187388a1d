package io.shardwise.aggregation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link AggregateParser} found: both key tables and, per user record, its table indexes and
 * where its data lies in the input. Data is not copied until the whole aggregate is known valid.
 */
final class ParsedAggregate {

    final List<String> partitionKeys = new ArrayList<>();
    final List<String> explicitHashKeys = new ArrayList<>();
    int count;
    int[] partitionKeyIndexes = new int[8];
    /** -1 when the record has no explicit hash key. */
    int[] explicitHashKeyIndexes = new int[8];
    int[] dataOffsets = new int[8];
    int[] dataLengths = new int[8];

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
