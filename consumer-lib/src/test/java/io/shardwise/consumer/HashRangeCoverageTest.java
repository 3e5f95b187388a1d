package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.aggregation.HashKeyRange;
import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HashRangeCoverageTest {

    /** Splits the key space at random points into adjacent ranges: covered, whatever their order. */
    @Property
    void adjacentRangesInAnyOrderLeaveNoHole(@ForAll @Size(max = 20) List<@IntRange(min = 1, max = 1_000_000) Integer> cuts) {
        List<HashKeyRange> ranges = split(cuts);
        Collections.shuffle(ranges);
        assertThat(HashRangeCoverage.holes(ranges)).isEmpty();
    }

    /** Removing one range of a full split leaves exactly that range as the hole. */
    @Property
    void aMissingRangeIsReportedExactly(@ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 1_000_000) Integer> cuts,
                                        @ForAll @IntRange(min = 0, max = 100) int which) {
        List<HashKeyRange> ranges = split(cuts);
        HashKeyRange missing = ranges.remove(which % ranges.size());
        assertThat(HashRangeCoverage.holes(ranges)).containsExactly(missing);
    }

    @Test
    void overlappingRangesCoverToo() {
        BigInteger half = BigInteger.ONE.shiftLeft(127);
        assertThat(HashRangeCoverage.holes(List.of(new HashKeyRange(BigInteger.ZERO, half),
                new HashKeyRange(half.subtract(BigInteger.TEN), HashKeys.MAX)))).isEmpty();
        assertThat(HashRangeCoverage.holes(List.of())).containsExactly(
                new HashKeyRange(BigInteger.ZERO, HashKeys.MAX));
    }

    private static List<HashKeyRange> split(List<Integer> cuts) {
        BigInteger step = HashKeys.MAX.divide(BigInteger.valueOf(1_000_001));
        TreeSet<BigInteger> points = new TreeSet<>();
        cuts.forEach(c -> points.add(step.multiply(BigInteger.valueOf(c))));
        List<HashKeyRange> ranges = new ArrayList<>();
        BigInteger start = BigInteger.ZERO;
        for (BigInteger point : points) {
            ranges.add(new HashKeyRange(start, point.subtract(BigInteger.ONE)));
            start = point;
        }
        ranges.add(new HashKeyRange(start, HashKeys.MAX));
        return ranges;
    }
}
