package io.shardwise.benchmarks.fleet;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Calls and billed units of one consumer's DynamoDB traffic, per table and operation, since a start time. */
final class CallTally {
    final long startNanos = System.nanoTime();
    private final Map<String, OpTally> ops = new ConcurrentHashMap<>();

    OpTally op(String table, String operation) {
        return ops.computeIfAbsent(table + " " + operation, k -> new OpTally(table, operation));
    }

    /** Every (table, operation) seen, in name order. */
    Map<String, OpTally> ops() {
        return new TreeMap<>(ops);
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    double readUnits() {
        return ops.values().stream().mapToDouble(o -> o.readUnits.sum()).sum();
    }

    double writeUnits() {
        return ops.values().stream().mapToDouble(o -> o.writeUnits.sum()).sum();
    }

    double reportedUnits() {
        return ops.values().stream().mapToDouble(o -> o.reported.sum()).sum();
    }

    /** One (table, operation): calls, error answers, units as DynamoDB bills them, and DynamoDB Local's figure. */
    static final class OpTally {
        final String table;
        final String operation;
        final LongAdder calls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder items = new LongAdder();
        final LongAdder estimated = new LongAdder();
        final DoubleAdder readUnits = new DoubleAdder();
        final DoubleAdder writeUnits = new DoubleAdder();
        final DoubleAdder indexWriteUnits = new DoubleAdder();
        final DoubleAdder reported = new DoubleAdder();

        OpTally(String table, String operation) {
            this.table = table;
            this.operation = operation;
        }
    }
}
