package io.shardwise.aggregation;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The unmodifiable list of an aggregate's user records, over the array the deaggregator filled.
 * {@link Deaggregation} takes it as it is, so unpacking an aggregate copies no array of records.
 */
final class DeaggregatedRecords extends AbstractList<DeaggregatedRecord> implements RandomAccess {

    private final DeaggregatedRecord[] records;
    private final int size;

    /** @param records filled up to {@code size} without nulls, and never written again by the caller */
    DeaggregatedRecords(DeaggregatedRecord[] records, int size) {
        this.records = records;
        this.size = size;
    }

    @Override
    public DeaggregatedRecord get(int index) {
        Objects.checkIndex(index, size);
        return records[index];
    }

    @Override
    public int size() {
        return size;
    }
}
