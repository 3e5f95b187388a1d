package io.shardwise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppDescriptionTest {

    private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);

    @Test
    void twoHalvesCoverTheHashKeySpace() {
        assertThat(AppDescription.gaps(List.of(range(HALF, AppDescription.MAX_HASH_KEY),
                range(BigInteger.ZERO, HALF.subtract(BigInteger.ONE))))).isEmpty();
    }

    @Test
    void overlappingRangesOfAParentAndItsChildCountOnce() {
        assertThat(AppDescription.gaps(List.of(range(BigInteger.ZERO, AppDescription.MAX_HASH_KEY),
                range(BigInteger.ZERO, HALF)))).isEmpty();
    }

    @Test
    void aMissingMiddleAndEndAreGaps() {
        List<BigInteger[]> gaps = AppDescription.gaps(List.of(range(BigInteger.ZERO, BigInteger.TEN),
                range(BigInteger.valueOf(20), HALF)));
        assertThat(gaps).hasSize(2);
        assertThat(gaps.get(0)).containsExactly(BigInteger.valueOf(11), BigInteger.valueOf(19));
        assertThat(gaps.get(1)).containsExactly(HALF.add(BigInteger.ONE), AppDescription.MAX_HASH_KEY);
    }

    @Test
    void agesReadLikeAPerson() {
        assertThat(AppDescription.age(850L)).isEqualTo("850ms");
        assertThat(AppDescription.age(12_345L)).isEqualTo("12.3s");
        assertThat(AppDescription.age(245_000L)).isEqualTo("4m05s");
        assertThat(AppDescription.age(7_380_000L)).isEqualTo("2h03m");
        assertThat(AppDescription.age(null)).isEqualTo("-");
    }

    @Test
    void toSequenceTakesANumberOrNumberSlashSub() {
        assertThat(AppCheckpoint.parseOption("4960").subSequenceNumber()).isEqualTo(-1);
        assertThat(AppCheckpoint.parseOption("4960/3")).isEqualTo(new AppCheckpoint("4960", 3));
        assertThatThrownBy(() -> AppCheckpoint.parseOption("49x"))
                .hasMessage("--to-sequence 49x: expected a sequence number N or N/SUB (decimal digits)");
        assertThat(AppCheckpoint.of(null, 5)).isEqualTo(AppCheckpoint.TRIM_HORIZON);
        assertThat(AppCheckpoint.of("SHARD_END", 0).toString()).isEqualTo("SHARD_END");
    }

    @Test
    void aWorkerIsWrittenWithItsKeysInOrder() {
        assertThat(JsonLines.write(JsonLines.object(new AppDescription.WorkerLine("w-1", "shardwise", true, null, 2))))
                .isEqualTo("{\"workerId\":\"w-1\",\"kind\":\"shardwise\",\"live\":true,\"livenessAgeMillis\":null,"
                        + "\"leaseCount\":2}");
    }

    private static BigInteger[] range(BigInteger start, BigInteger end) {
        return new BigInteger[] {start, end};
    }
}
