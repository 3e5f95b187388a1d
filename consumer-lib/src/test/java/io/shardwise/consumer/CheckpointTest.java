package io.shardwise.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Property
    void ordersBySequenceNumberAsANumberThenBySubSequence(
            @ForAll @BigRange(min = "0", max = "99999999999999999999999999999999999999999999999999999999") BigInteger a,
            @ForAll @BigRange(min = "0", max = "99999999999999999999999999999999999999999999999999999999") BigInteger b,
            @ForAll @LongRange(max = 1000) long subA, @ForAll @LongRange(max = 1000) long subB) {
        Checkpoint x = Checkpoint.at(a.toString(), subA);
        Checkpoint y = Checkpoint.at(b.toString(), subB);
        int expected = a.compareTo(b) != 0 ? a.compareTo(b) : Long.compare(subA, subB);
        assertThat(Integer.signum(x.compareTo(y))).isEqualTo(Integer.signum(expected));
        assertThat(Integer.signum(y.compareTo(x))).isEqualTo(-Integer.signum(expected));
    }

    @Property
    void startSentinelsSortBeforeAndShardEndAfterEveryPosition(
            @ForAll @BigRange(min = "0", max = "99999999999999999999999999") BigInteger seq) {
        Checkpoint position = Checkpoint.at(seq.toString(), 3);
        assertThat(Checkpoint.TRIM_HORIZON.compareTo(position)).isNegative();
        assertThat(Checkpoint.LATEST.compareTo(position)).isNegative();
        assertThat(Checkpoint.SHARD_END.compareTo(position)).isPositive();
    }

    @Test
    void shorterSequenceNumbersAreSmallerNotLexicographicallyCompared() {
        assertThat(Checkpoint.at("9", 0).compareTo(Checkpoint.at("10", 0))).isNegative();
    }

    @Test
    void rejectsWhatIsNeitherANumberNorASentinel() {
        assertThatThrownBy(() -> Checkpoint.at("12a", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12a");
        assertThatThrownBy(() -> Checkpoint.at("12", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void readsAMissingStoredCheckpointAsTheGivenDefault() {
        assertThat(Checkpoint.parse(null, 0, Checkpoint.TRIM_HORIZON)).isEqualTo(Checkpoint.TRIM_HORIZON);
        assertThat(Checkpoint.parse("SHARD_END", 0, null).isShardEnd()).isTrue();
    }
}
