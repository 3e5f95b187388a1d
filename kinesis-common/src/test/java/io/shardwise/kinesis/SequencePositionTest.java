package io.shardwise.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequencePositionTest {

    private static final String SEQ = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void ordersBySequenceNumberThenSubSequenceNumber() {
        SequencePosition a0 = new SequencePosition(SEQ, 0);
        SequencePosition a1 = new SequencePosition(SEQ, 1);
        SequencePosition b0 = new SequencePosition(new BigInteger(SEQ).add(BigInteger.ONE).toString(), 0);
        assertThat(a0).isLessThan(a1);
        assertThat(a1).isLessThan(b0);
        assertThat(a0.compareTo(new SequencePosition(SEQ, 0))).isZero();
    }

    @Test
    void comparesDigitsAsNumbersWhateverTheirLength() {
        assertThat(SequencePosition.compareSequenceNumbers("9", "10")).isNegative();
        assertThat(SequencePosition.compareSequenceNumbers("100", "99")).isPositive();
        assertThat(SequencePosition.compareSequenceNumbers("007", "7")).isZero();
        assertThat(SequencePosition.compareSequenceNumbers("0", "000")).isZero();
        assertThat(SequencePosition.compareSequenceNumbers("0", "1")).isNegative();
    }

    @Test
    void agreesWithBigIntegerOrderOnRandomSequenceNumbers() {
        Random random = new Random(7);
        List<String> numbers = new ArrayList<>(List.of("0", "1", "10", "0010", SEQ));
        for (int i = 0; i < 300; i++) {
            numbers.add(new BigInteger(1 + random.nextInt(200), random).toString());
        }
        List<String> byPosition = new ArrayList<>(numbers);
        byPosition.sort(SequencePosition::compareSequenceNumbers);
        List<String> byNumber = new ArrayList<>(numbers);
        byNumber.sort((a, b) -> new BigInteger(a).compareTo(new BigInteger(b)));
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(new BigInteger(byPosition.get(i))).isEqualTo(new BigInteger(byNumber.get(i)));
        }
    }

    @Test
    void startSentinelsSortBeforeEveryPositionAndShardEndAfter() {
        SequencePosition trimHorizon = new SequencePosition(SequencePosition.TRIM_HORIZON, 0);
        SequencePosition latest = new SequencePosition(SequencePosition.LATEST, 0);
        SequencePosition atTimestamp = new SequencePosition(SequencePosition.AT_TIMESTAMP, 0);
        SequencePosition shardEnd = new SequencePosition(SequencePosition.SHARD_END, 0);
        SequencePosition zero = new SequencePosition("0", 0);
        SequencePosition high = new SequencePosition("9".repeat(129), Long.MAX_VALUE);
        List<SequencePosition> all = new ArrayList<>(List.of(shardEnd, high, zero, trimHorizon));
        Collections.sort(all);
        assertThat(all).containsExactly(trimHorizon, zero, high, shardEnd);
        assertThat(trimHorizon.compareTo(latest)).isZero();
        assertThat(latest.compareTo(atTimestamp)).isZero();
        assertThat(shardEnd.compareTo(new SequencePosition(SequencePosition.SHARD_END, 0))).isZero();
        assertThat(trimHorizon.isSentinel()).isTrue();
        assertThat(zero.isSentinel()).isFalse();
        assertThat(trimHorizon).hasToString("TRIM_HORIZON");
        assertThat(new SequencePosition(SEQ, 3)).hasToString(SEQ + "/3");
    }

    @Test
    void rejectsWhatIsNoPositionNamingTheValue() {
        assertThatThrownBy(() -> new SequencePosition("12a", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'12a'");
        assertThatThrownBy(() -> new SequencePosition("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SequencePosition("-1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SequencePosition("1", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new SequencePosition(null, 0)).isInstanceOf(NullPointerException.class);
    }
}
