package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoTallyTest {

    private static DemoPayload payload(String key, long sequence) {
        return new DemoPayload(key, sequence, 1_000);
    }

    @Test
    void aReplayAfterFailoverIsADuplicateNotAnOrderViolation() {
        DemoTally tally = new DemoTally();
        for (long s = 0; s < 4; s++) {
            tally.acknowledged("shard-a", payload("k", s));
        }
        tally.delivered("w1", "shard-a", 1_010, payload("k", 0));
        tally.delivered("w1", "shard-a", 1_020, payload("k", 1));
        tally.delivered("w1", "shard-a", 1_030, payload("k", 2));
        // the new owner resumes from the checkpoint after record 0
        tally.delivered("w2", "shard-a", 1_040, payload("k", 1));
        tally.delivered("w2", "shard-a", 1_050, payload("k", 2));
        tally.delivered("w2", "shard-a", 1_060, payload("k", 3));

        DemoVerdict verdict = tally.verdict();
        assertThat(verdict.sent()).isEqualTo(4);
        assertThat(verdict.received()).isEqualTo(4);
        assertThat(verdict.duplicates()).isEqualTo(2);
        assertThat(verdict.orderViolations()).isZero();
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.passed()).isTrue();
    }

    @Test
    void aFirstDeliveryBehindAHigherSequenceOfItsKeyIsAnOrderViolation() {
        DemoTally tally = new DemoTally();
        tally.acknowledged("shard-a", payload("k", 0));
        tally.acknowledged("shard-a", payload("k", 1));
        tally.acknowledged("shard-a", payload("other", 0));
        tally.delivered("w1", "shard-a", 1_010, payload("k", 1));
        tally.delivered("w1", "shard-a", 1_020, payload("k", 0));

        DemoVerdict verdict = tally.verdict();
        assertThat(verdict.orderViolations()).isEqualTo(1);
        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.passed()).isFalse();
        assertThat(tally.lagByShard()).containsEntry("shard-a", 1L);
    }

    @Test
    void failoverEndsWhenEveryShardOfTheDeadWorkerResumedElsewhere() {
        DemoTally tally = new DemoTally();
        tally.killed("w3", Set.of("s1", "s2"), 10_000);
        tally.delivered("w3", "s1", 10_100, payload("k", 0));   // the dead worker's last lines do not count
        tally.delivered("w1", "s1", 13_500, payload("k", 1));
        assertThat(tally.failoverPending()).isTrue();
        tally.shardEndedElsewhere("s2", 14_250);

        assertThat(tally.failoverPending()).isFalse();
        assertThat(tally.verdict().failoverSeconds()).isEqualTo(4.25);
    }

    @Test
    void verdictJsonHasExactlyTheDocumentedKeys() {
        DemoTally tally = new DemoTally();
        tally.sendStarted(1_000);
        tally.acknowledged("s", payload("k", 0));
        tally.delivered("w1", "s", 1_200, payload("k", 0));

        assertThat(tally.verdict().json()).isEqualTo("{\"sent\":1,\"received\":1,\"lost\":0,\"duplicates\":0,"
                + "\"orderViolations\":0,\"throughputPerSecond\":5.0,\"p50LatencyMs\":200,\"p99LatencyMs\":200,"
                + "\"failoverSeconds\":null}");
    }
}
