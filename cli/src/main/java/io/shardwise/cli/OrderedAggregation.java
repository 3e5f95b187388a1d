package io.shardwise.cli;

import io.shardwise.aggregation.KinesisRecord;
import io.shardwise.aggregation.RecordAggregator;
import io.shardwise.aggregation.UserRecord;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Aggregates a stream of user records per shard and hands out the Kinesis records in input order:
 * each output record takes the place of its first user record, and the records of one shard stay
 * in input order across output records (what Kinesis needs to keep per-key order). Every output record owns a slot in a
 * queue created when its first user record arrives; slots leave the queue from the head as soon as
 * they are complete, so memory holds only the aggregates still open and those behind them.
 */
final class OrderedAggregation {

    private static final class Slot {
        RecordAggregator open;
        KinesisRecord done;
    }

    private final int maxBytes;
    private final int maxRecords;
    private final Consumer<KinesisRecord> sink;
    private final Map<Integer, Slot> openByShard = new HashMap<>();
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    /** An emptied aggregator to reuse, or null. */
    private RecordAggregator spare;

    /** @throws IllegalArgumentException naming the value and the limit when a limit is out of range */
    OrderedAggregation(int maxBytes, int maxRecords, Consumer<KinesisRecord> sink) {
        this.spare = new RecordAggregator(maxBytes, maxRecords); // validates both limits up front
        this.maxBytes = maxBytes;
        this.maxRecords = maxRecords;
        this.sink = sink;
    }

    void add(int shard, UserRecord record) {
        Slot current = openByShard.get(shard);
        if (current != null) {
            if (current.open.tryAdd(record)) {
                return;
            }
            // closed before the new record goes anywhere: the shard's records keep their order
            close(current);
            openByShard.remove(shard);
        }
        Slot slot = new Slot();
        slots.add(slot);
        RecordAggregator empty = spare != null ? spare : new RecordAggregator(maxBytes, maxRecords);
        spare = null;
        if (empty.tryAdd(record)) {
            slot.open = empty;
            openByShard.put(shard, slot);
        } else {
            // larger than any aggregate may be: it goes out plain, as the producer would send it
            slot.done = new KinesisRecord(record.partitionKey(), record.explicitHashKey(), record.data(), 1, false);
            spare = empty;
        }
        drain();
    }

    /** Emits every open aggregate; call once at the end of input. */
    void finish() {
        for (Slot slot : slots) {
            if (slot.done == null) {
                close(slot);
            }
        }
        openByShard.clear();
        drain();
    }

    private void close(Slot slot) {
        slot.done = slot.open.emit();
        spare = slot.open; // empty again after emit
        slot.open = null;
    }

    private void drain() {
        while (!slots.isEmpty() && slots.peek().done != null) {
            sink.accept(slots.poll().done);
        }
    }
}
