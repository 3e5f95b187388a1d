package io.shardwise.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3));

    @Property
    void delayIsWithinTheFullJitterWindow(@ForAll @IntRange(min = 1, max = 200) int attempts) {
        long ceiling = Math.min(Duration.ofSeconds(3).toNanos(),
                Duration.ofMillis(100).toNanos() * (1L << Math.min(attempts - 1, 20)));
        assertThat(backoff.delayNanos(attempts)).isBetween(0L, ceiling);
    }

    @Test
    void delaysSpreadOverTheWholeWindow() {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 1_000; i++) {
            long delay = backoff.delayNanos(3);
            max = Math.max(max, delay);
            min = Math.min(min, delay);
        }
        assertThat(min).isLessThan(Duration.ofMillis(40).toNanos());
        assertThat(max).isGreaterThan(Duration.ofMillis(360).toNanos());
    }

    @Test
    void rejectsABaseAboveTheCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("PT2S").hasMessageContaining("PT1S");
    }
}
