package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardwise.aggregation.HashKeys;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class UniformShardsTest {

    @Test
    void splitsTheHashKeySpaceEvenly() {
        UniformShards four = new UniformShards(4);
        BigInteger quarter = BigInteger.ONE.shiftLeft(126);
        assertThat(four.shardOf(BigInteger.ZERO)).isZero();
        assertThat(four.shardOf(quarter.subtract(BigInteger.ONE))).isZero();
        assertThat(four.shardOf(quarter)).isEqualTo(1);
        assertThat(four.shardOf(quarter.multiply(BigInteger.valueOf(3)))).isEqualTo(3);
        assertThat(four.shardOf(HashKeys.MAX)).isEqualTo(3);
    }

    @Test
    void theLastShardTakesTheRemainder() {
        UniformShards three = new UniformShards(3);
        assertThat(three.shardOf(HashKeys.MAX)).isEqualTo(2);
        assertThat(new UniformShards(1).shardOf(HashKeys.MAX)).isZero();
    }

    @Test
    void rejectsNoShards() {
        assertThatThrownBy(() -> new UniformShards(0)).hasMessage("--shards 0 must be at least 1");
    }
}
