package io.shardwise.consumer;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the parts of the hash key space 0 .. 2^128-1 that no range covers: after a shard sync, the
 * open shards' leases must cover it all, or records of the uncovered keys would never be read.
 */
final class HashRangeCoverage {
    private HashRangeCoverage() {
    }

    /** The uncovered ranges, in order; empty when the ranges cover the whole space. */
    static List<HashKeyRange> holes(List<HashKeyRange> ranges) {
        List<HashKeyRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(HashKeyRange::start));
        List<HashKeyRange> holes = new ArrayList<>();
        BigInteger next = BigInteger.ZERO;
        for (HashKeyRange range : sorted) {
            if (range.start().compareTo(next) > 0) {
                holes.add(new HashKeyRange(next, range.start().subtract(BigInteger.ONE)));
            }
            if (range.end().compareTo(next) >= 0) {
                next = range.end().add(BigInteger.ONE);
            }
        }
        if (next.compareTo(HashKeys.MAX) <= 0) {
            holes.add(new HashKeyRange(next, HashKeys.MAX));
        }
        return holes;
    }
}
