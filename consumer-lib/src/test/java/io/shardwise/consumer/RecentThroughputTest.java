package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RecentThroughputTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSteadyRateIsReportedAndFadesWhenTheShardGoesIdle() {
        RecentThroughput rate = new RecentThroughput(0);
        // 10 000 bytes per second for 10 minutes, one batch a second.
        for (int s = 1; s <= 600; s++) {
            rate.add(10_000, s * SECOND);
        }
        assertThat((double) rate.bytesPerSecond(600 * SECOND)).isCloseTo(10_000, within(500.0));
        // Idle for 5 time constants: below 1 % of the rate.
        assertThat(rate.bytesPerSecond(900 * SECOND)).isLessThan(100);
    }
}
