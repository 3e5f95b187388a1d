package io.shardwise.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultDiceTest {

    private static final FaultRules RULES = FaultRules.builder()
            .throttleCalls("PutRecords", 0.3).serverErrors("Kinesis_20131202.PutRecords", 0.2, 0.2)
            .dropConnections(FaultRules.ANY_OPERATION, 0.1).throttleEntries(0.5).build();

    private static List<String> plans(FaultDice dice, boolean interleaveOtherOperations) {
        List<String> plans = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            if (interleaveOtherOperations && i % 3 == 0) {
                dice.roll("ListShards", RULES);
            }
            FaultDice.Plan plan = dice.roll("PutRecords", RULES);
            plans.add(plan.drop() + "/" + plan.errorStatus() + "/" + plan.throttle()
                    + "/" + plan.entries().nextDouble());
        }
        return plans;
    }

    @Test
    void theSameSeedGivesTheSameFaultsWhateverOtherOperationsDo() {
        List<String> first = plans(new FaultDice(5), false);

        assertThat(plans(new FaultDice(5), true)).isEqualTo(first);
        assertThat(plans(new FaultDice(6), false)).isNotEqualTo(first);
    }

    @Test
    void drawsEachFaultAtRoughlyItsProbability() {
        FaultDice dice = new FaultDice(9);
        int drops = 0;
        int errors500 = 0;
        int errors503 = 0;
        int throttles = 0;
        int calls = 10_000;
        for (int i = 0; i < calls; i++) {
            FaultDice.Plan plan = dice.roll("PutRecords", RULES);
            drops += plan.drop() ? 1 : 0;
            errors500 += plan.errorStatus() == 500 ? 1 : 0;
            errors503 += plan.errorStatus() == 503 ? 1 : 0;
            throttles += plan.throttle() ? 1 : 0;
        }
        assertThat(drops).isBetween(800, 1200);
        assertThat(errors500).isBetween(1800, 2200);
        assertThat(errors503).isBetween(1800, 2200);
        assertThat(throttles).isBetween(2700, 3300);
    }

    @Test
    void aNamedOperationsRuleWinsOverTheAnyOperationRule() {
        FaultRules rules = FaultRules.builder().latency(FaultRules.ANY_OPERATION, Duration.ofMillis(5))
                .latency("ListShards", Duration.ofMillis(9)).dropConnections(FaultRules.ANY_OPERATION, 1.0)
                .dropConnections("GetRecords", 0.0).build();

        assertThat(rules.latency("ListShards")).isEqualTo(Duration.ofMillis(9));
        assertThat(rules.latency("PutRecords")).isEqualTo(Duration.ofMillis(5));
        assertThat(new FaultDice(1).roll("GetRecords", rules).drop()).isFalse();
        assertThat(new FaultDice(1).roll("PutRecord", rules).drop()).isTrue();
    }

    @Test
    void rejectsWhatIsNotAProbability() {
        assertThatThrownBy(() -> FaultRules.builder().throttleEntries(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> FaultRules.builder().serverErrors("PutRecords", 0.6, 0.6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2");
        assertThatThrownBy(() -> FaultRules.builder().latency("PutRecords", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
    }
}
