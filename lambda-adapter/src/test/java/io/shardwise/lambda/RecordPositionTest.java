package io.shardwise.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordPositionTest {

    @Test
    void ordersBySequenceNumericallyThenBySubSequence() {
        RecordPosition a = new RecordPosition("99", 5);
        RecordPosition b = new RecordPosition("100", 0);
        RecordPosition c = new RecordPosition("100", 1);
        assertThat(a).isLessThan(b);
        assertThat(c.isAfter(b)).isTrue();
        assertThat(b.isAfter(b)).isFalse();
    }

    @Test
    void sortableKeysOrderLikePositions() {
        Random random = new Random(7);
        List<RecordPosition> positions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String sequence = random.nextInt(4) == 0 ? Integer.toString(random.nextInt(1000))
                    : "4959033827149025660855969253836157109592157598913658" + (1000 + random.nextInt(9000));
            positions.add(new RecordPosition(sequence, random.nextInt(3) == 0 ? Long.MAX_VALUE - random.nextInt(3)
                    : random.nextInt(100)));
        }
        List<RecordPosition> byKey = new ArrayList<>(positions);
        byKey.sort(Comparator.comparing(RecordPosition::sortableKey));
        List<RecordPosition> byOrder = new ArrayList<>(positions);
        byOrder.sort(Comparator.naturalOrder());
        assertThat(byKey).isEqualTo(byOrder);
    }

    @Test
    void rejectsWhatIsNotASequenceNumber() {
        assertThatThrownBy(() -> new RecordPosition("12a", 0)).hasMessageContaining("'12a'");
        assertThatThrownBy(() -> new RecordPosition("", 0)).hasMessageContaining("1 to 129");
        assertThatThrownBy(() -> new RecordPosition("1".repeat(130), 0)).hasMessageContaining("129");
        assertThatThrownBy(() -> new RecordPosition("1", -1)).hasMessageContaining("-1");
    }
}
