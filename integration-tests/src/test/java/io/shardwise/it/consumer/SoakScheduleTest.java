package io.shardwise.it.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardwise.it.consumer.SoakSchedule.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SoakScheduleTest {

    @Test
    void theSameSeedAndLengthGiveTheSameScheduleAndAnotherSeedAnother() {
        Duration chaos = Duration.ofMinutes(2);
        assertThat(SoakSchedule.draw(42, chaos, 3)).isEqualTo(SoakSchedule.draw(42, chaos, 3));
        assertThat(SoakSchedule.draw(43, chaos, 3).actions()).isNotEqualTo(SoakSchedule.draw(42, chaos, 3).actions());
    }

    @Test
    void everyScheduleHasOneSplitOneMergeKillsStopsAndARestartAfterEachWithinTheChaos() {
        for (long seed = 0; seed < 200; seed++) {
            Duration chaos = Duration.ofSeconds(120);
            SoakSchedule schedule = SoakSchedule.draw(seed, chaos, 3);

            assertThat(schedule.count(Kind.SPLIT)).isEqualTo(1);
            assertThat(schedule.count(Kind.MERGE)).isEqualTo(1);
            assertThat(schedule.count(Kind.KILL)).isPositive();
            assertThat(schedule.count(Kind.STOP)).isPositive();
            assertThat(schedule.count(Kind.RESTART)).isEqualTo(schedule.count(Kind.KILL) + schedule.count(Kind.STOP));
            assertThat(schedule.count(Kind.KINESIS_FAULTS)).isEqualTo(schedule.count(Kind.KINESIS_FAULTS_OFF))
                    .isPositive();
            assertThat(schedule.count(Kind.DYNAMODB_FAULTS)).isEqualTo(schedule.count(Kind.DYNAMODB_FAULTS_OFF))
                    .isPositive();
            assertThat(schedule.actions()).allSatisfy(a -> assertThat(a.at()).isLessThan(chaos));
            assertThat(schedule.actions()).isSortedAccordingTo(java.util.Comparator.comparing(SoakSchedule.Action::at));
        }
    }
}
