package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(3));

    @Property
    void delayAfterAnErrorIsWithinTheFullJitterWindow(@ForAll @IntRange(min = 1, max = 200) int attempts) {
        long ceiling = Math.min(Duration.ofSeconds(3).toNanos(),
                Duration.ofMillis(100).toNanos() * (1L << Math.min(attempts - 1, 20)));
        assertThat(backoff.afterFailureNanos(attempts)).isBetween(0L, ceiling);
    }

    @Test
    void delaysAfterAnErrorSpreadOverTheWholeWindow() {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 1_000; i++) {
            long delay = backoff.afterFailureNanos(3);
            max = Math.max(max, delay);
            min = Math.min(min, delay);
        }
        assertThat(min).isLessThan(Duration.ofMillis(40).toNanos());
        assertThat(max).isGreaterThan(Duration.ofMillis(360).toNanos());
    }

    @Property
    void delayAfterAThrottleIsTheIntervalPlusOrMinusHalf(@ForAll @IntRange(min = 1, max = 12) int attempts) {
        double interval = Math.min(3000, 100 * Math.pow(1.5, attempts - 1));
        long delayMillis = Duration.ofNanos(backoff.afterThrottleNanos(attempts)).toMillis();
        assertThat(delayMillis).isBetween((long) (interval * 0.5) - 1, Math.min(3000, (long) (interval * 1.5) + 1));
    }

    @Test
    void rejectsABaseAboveTheMax() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("PT2S").hasMessageContaining("PT1S");
    }
}
