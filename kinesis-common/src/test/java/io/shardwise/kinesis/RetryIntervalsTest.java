package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RetryIntervalsTest {

    @Test
    void eachWaitIsUniformFromOneMillisecondToTheExponentialCeiling() {
        IntervalFunction intervals = RetryIntervals.exponentialFullJitter(Duration.ofMillis(50), Duration.ofSeconds(1));
        long[] ceilings = {50, 100, 200, 400, 800, 1000, 1000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            int n = attempt;
            LongSummaryStatistics waits = LongStream.range(0, 5_000).map(i -> intervals.apply(n)).summaryStatistics();
            assertThat(waits.getMin()).isGreaterThanOrEqualTo(1);
            assertThat(waits.getMax()).isLessThanOrEqualTo(ceilings[attempt - 1]);
            // Full jitter: the whole range is used, down near zero and up near the ceiling.
            assertThat(waits.getMin()).isLessThanOrEqualTo(Math.max(1, ceilings[attempt - 1] / 10));
            assertThat(waits.getMax()).isGreaterThanOrEqualTo(ceilings[attempt - 1] * 9 / 10);
        }
        assertThat(intervals.apply(Integer.MAX_VALUE)).isBetween(1L, 1000L);
    }

    @Test
    void rejectsABaseBelowOneMillisecondOrAboveTheCap() {
        assertThatThrownBy(() -> RetryIntervals.exponentialFullJitter(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RetryIntervals.exponentialFullJitter(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2S");
    }
}
