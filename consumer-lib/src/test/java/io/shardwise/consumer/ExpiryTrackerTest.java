package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExpiryTrackerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final ExpiryTracker tracker = new ExpiryTracker(3_000, now::get);

    @Test
    void aCounterUnchangedForTheFailoverTimeOnThisClockIsExpired() {
        tracker.observe("w", 5);
        now.addAndGet(2_999);
        tracker.observe("w", 5);
        assertThat(tracker.isExpired("w")).isFalse();
        now.addAndGet(1);
        assertThat(tracker.isExpired("w")).isTrue();
    }

    @Test
    void aMovingCounterRestartsTheWait() {
        tracker.observe("w", 5);
        now.addAndGet(2_500);
        tracker.observe("w", 6);
        now.addAndGet(2_500);
        assertThat(tracker.isExpired("w")).isFalse();
        assertThat(tracker.unchangedNanos("w")).isEqualTo(2_500);
    }

    @Test
    void neverSeenIsNotExpiredAndForgottenKeysStartOver() {
        assertThat(tracker.isExpired("unknown")).isFalse();
        tracker.observe("w", 1);
        now.addAndGet(5_000);
        tracker.retainOnly(Set.of());
        tracker.observe("w", 1);
        assertThat(tracker.isExpired("w")).isFalse();
    }
}
